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

// seqMixer is a mixer whose passes also run one range of sequences at a
// time, so that the block runs its norm, the mixer and the residual in one
// parallel section per forward and per backward (mambaMixer; forward and
// backward are these calls wrapped in their own sections).
type seqMixer[T Float] interface {
	forwardBegin(x []T, nb, nl int, train bool) error
	forwardSeqs(w, b0, b1, inner int, x, out []T)
	backwardBegin()
	backwardSeqs(w, b0, b1, inner int, gout, gx []T)
	backwardSums()
	weightGradJobs(gout []T) []weightGrad[T]
	weightGradsDone()
}

// pendingGrads is weight-gradient work a block's backward leaves to run in
// the next parallel section (the block below's): the products jobs over m
// rows (weightGradsShare), then done.
type pendingGrads[T Float] struct {
	m    int
	jobs []weightGrad[T]
	done func()
}

// run does all of the pending work in a section of its own.
func (p *pendingGrads[T]) run(workers int) {
	if p == nil {
		return
	}
	weightGrads(workers, p.m, p.jobs)
	p.done()
}

// forward computes out = in + mixer(norm(in)), all (M, d_model); in must stay
// unchanged until backward.
func (b *block[T]) forward(in, out []T, nb, nl int, train bool) error {
	mm, dm := nb*nl, b.dm
	b.in = in
	b.nb, b.nl = nb, nl
	b.nrm = grow(b.nrm, mm*dm)
	b.rstd = grow(b.rstd, mm)
	b.mo = grow(b.mo, mm*dm)
	sm, fused := b.mix.(seqMixer[T])
	if !fused {
		rmsNormForwardBatches(*b.workers, nb, nl, dm, in, b.norm.W, b.nrm, b.rstd)
		if err := b.mix.forward(b.nrm, nb, nl, b.mo, train); err != nil {
			return err
		}
		forBatches(nb, *b.workers, func(b0, b1, _ int) { b.residualSeqs(b0, b1, in, out) })
		return nil
	}
	if err := sm.forwardBegin(b.nrm, nb, nl, train); err != nil {
		return err
	}
	forBatchesW(nb, *b.workers, func(w, b0, b1, inner int) {
		r0, r1 := b0*nl, b1*nl
		rmsNormForward(r1-r0, dm, in[r0*dm:r1*dm], b.norm.W, b.nrm[r0*dm:r1*dm], b.rstd[r0:r1])
		sm.forwardSeqs(w, b0, b1, inner, b.nrm, b.mo)
		b.residualSeqs(b0, b1, in, out)
	})
	return nil
}

// residualSeqs sets out = in + mo on the rows of the sequences [b0, b1).
func (b *block[T]) residualSeqs(b0, b1 int, in, out []T) {
	i0, i1 := b0*b.nl*b.dm, b1*b.nl*b.dm
	mo := b.mo[i0:i1]
	for i, v := range in[i0:i1] {
		out[i0+i] = v + mo[i]
	}
}

// backward sets gin = ∂loss/∂in from g = ∂loss/∂out (the residual passes g
// through; the mixer branch adds to it), both (M, d_model), and runs prev
// (the block above's pending weight gradients, or nil) inside its parallel
// section. It returns its own pending weight gradients (or nil), which read
// g: g must stay unchanged until they have run, and gin must alias neither
// g nor the buffers prev reads.
func (b *block[T]) backward(g, gin []T, prev *pendingGrads[T]) *pendingGrads[T] {
	nb, nl, dm := b.nb, b.nl, b.dm
	mm := nb * nl
	workers := *b.workers
	b.gnrm = grow(b.gnrm, mm*dm)
	sm, fused := b.mix.(seqMixer[T])
	if !fused {
		prev.run(workers)
		clear(b.gnrm)
		b.mix.backward(g, b.gnrm)
		copy(gin[:mm*dm], g)
		rmsNormBackwardBatches(workers, nb, nl, dm, b.in, b.norm.W, b.rstd, b.gnrm, b.norm.G, gin, true, &b.gnormPart)
		return nil
	}
	b.gnormPart = grow(b.gnormPart, nb*dm)
	clear(b.gnormPart)
	sm.backwardBegin()
	// prev's shares are weightGrads' (parts = workers, so that every product
	// has the shape it had in a pass of its own), spread over the nr ranges.
	parts, nr := max(workers, 1), min(max(workers, 1), nb)
	forBatchesW(nb, workers, func(w, b0, b1, inner int) {
		if prev != nil {
			for p := w * parts / nr; p < (w+1)*parts/nr; p++ {
				weightGradsShare(p, parts, inner, prev.m, prev.jobs)
			}
		}
		r0, r1 := b0*nl*dm, b1*nl*dm
		clear(b.gnrm[r0:r1])
		sm.backwardSeqs(w, b0, b1, inner, g, b.gnrm)
		copy(gin[r0:r1], g[r0:r1])
		rmsNormBackwardSeqs(b0, b1, nl, dm, b.in, b.norm.W, b.rstd, b.gnrm, b.gnormPart, gin, true)
	})
	if prev != nil {
		prev.done()
	}
	sm.backwardSums()
	reduceBatches(nb, dm, b.gnormPart, b.norm.G)
	return &pendingGrads[T]{m: mm, jobs: sm.weightGradJobs(g), done: sm.weightGradsDone}
}
