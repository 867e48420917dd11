package model

// block is one residual Mamba block of mixer_seq_simple (prenorm):
//
//	r_{i+1} = r_i + mixer(RMSNorm(r_i))
//
// mamba_ssm's Block computes the same thing with the add moved before the
// norm (hidden_states, residual pairs, for kernel fusion); the model is
// unchanged. State-dict names: backbone.layers.{i}.norm.weight and
// backbone.layers.{i}.mixer.*.
type block[T Float] struct {
	dm      int
	norm    *Param[T]
	mix     mixer[T]
	workers *int

	nb, nl    int
	gnormPart []T // per-sequence ∂norm.weight (B, d_model)

	in        []T // r_i (M, d_model), not owned
	nrm, rstd []T // RMSNorm(r_i) (M, d_model), 1/rms (M)
	mo, gnrm  []T // mixer output, ∂loss/∂nrm (M, d_model)
}

func newBlock[T Float](prefix string, dm int, mix mixer[T], workers *int) *block[T] {
	b := &block[T]{dm: dm, norm: NewParam[T](prefix+"norm.weight", true, dm), mix: mix, workers: workers}
	initFill(b.norm.W, 1)
	return b
}

func (b *block[T]) params() []*Param[T] {
	return append([]*Param[T]{b.norm}, b.mix.params()...)
}

// forward computes out = in + mixer(norm(in)), all (M, d_model); in must stay
// unchanged until backward.
func (b *block[T]) forward(in, out []T, nb, nl int, train bool) error {
	mm := nb * nl
	b.in = in
	b.nb, b.nl = nb, nl
	b.nrm = grow(b.nrm, mm*b.dm)
	b.rstd = grow(b.rstd, mm)
	b.mo = grow(b.mo, mm*b.dm)
	rmsNormForwardBatches(*b.workers, nb, nl, b.dm, in, b.norm.W, b.nrm, b.rstd)
	if err := b.mix.forward(b.nrm, nb, nl, b.mo, train); err != nil {
		return err
	}
	forBatches(nb, *b.workers, func(b0, b1, _ int) {
		i0, i1 := b0*nl*b.dm, b1*nl*b.dm
		mo := b.mo[i0:i1]
		for i, v := range in[i0:i1] {
			out[i0+i] = v + mo[i]
		}
	})
	return nil
}

// backward turns g = ∂loss/∂out into ∂loss/∂in in place (the residual passes
// g through; the mixer branch adds to it).
func (b *block[T]) backward(g []T) {
	mm := len(b.rstd)
	b.gnrm = grow(b.gnrm, mm*b.dm)
	clear(b.gnrm)
	b.mix.backward(g, b.gnrm)
	rmsNormBackwardBatches(*b.workers, b.nb, b.nl, b.dm, b.in, b.norm.W, b.rstd, b.gnrm, b.norm.G, g, true, &b.gnormPart)
}
