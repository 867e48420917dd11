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
	dm   int
	norm *Param[T]
	mix  mixer[T]

	in        []T // r_i (M, d_model), not owned
	nrm, rstd []T // RMSNorm(r_i) (M, d_model), 1/rms (M)
	mo, gnrm  []T // mixer output, ∂loss/∂nrm (M, d_model)
}

func newBlock[T Float](prefix string, dm int, mix mixer[T]) *block[T] {
	b := &block[T]{dm: dm, norm: NewParam[T](prefix+"norm.weight", true, dm), mix: mix}
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
	b.nrm = grow(b.nrm, mm*b.dm)
	b.rstd = grow(b.rstd, mm)
	b.mo = grow(b.mo, mm*b.dm)
	rmsNormForward(mm, b.dm, in, b.norm.W, b.nrm, b.rstd)
	if err := b.mix.forward(b.nrm, nb, nl, b.mo, train); err != nil {
		return err
	}
	for i, v := range in[:mm*b.dm] {
		out[i] = v + b.mo[i]
	}
	return nil
}

// backward turns g = ∂loss/∂out into ∂loss/∂in in place (the residual passes
// g through; the mixer branch adds to it).
func (b *block[T]) backward(g []T) {
	mm := len(b.rstd)
	b.gnrm = grow(b.gnrm, mm*b.dm)
	clear(b.gnrm)
	b.mix.backward(g, b.gnrm)
	rmsNormBackward(mm, b.dm, b.in, b.norm.W, b.rstd, b.gnrm, b.norm.G, g, true)
}
