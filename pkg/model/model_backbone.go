package model

import "fmt"

// backbone is what the LM and the classifier share, mixer_seq_simple's
// MixerModel without its embedding: the residual stack of blocks and the
// final RMSNorm, with the activations the backward pass needs. M = B·L.
//
//	res[0]      (M, d_model)  the embedded input, written by the model
//	res[i]      (M, d_model)  the residual stream after block i
//	hf, rstdF   (M, d_model), (M)  norm_f(res[n]) and its 1/rms
type backbone[T Float] struct {
	dModel    int
	workers   *int // goroutines of every pass (the model's SetWorkers)
	nb, nl    int
	gnormPart []T // per-sequence ∂norm_f.weight
	blocks    []*block[T]
	normF     *Param[T]
	res       [][]T
	hf, rstdF []T
	gAlt      [2][]T // (M, d_model) each: stackBackward's other gradient buffers
}

// stackParams returns the blocks' parameters in order, then norm_f's.
func (k *backbone[T]) stackParams() []*Param[T] {
	var ps []*Param[T]
	for _, b := range k.blocks {
		ps = append(ps, b.params()...)
	}
	return append(ps, k.normF)
}

// stackResize grows the activations for mm = B·L positions.
func (k *backbone[T]) stackResize(mm int) {
	if len(k.res) != len(k.blocks)+1 {
		k.res = make([][]T, len(k.blocks)+1)
	}
	for i := range k.res {
		k.res[i] = grow(k.res[i], mm*k.dModel)
	}
	k.hf = grow(k.hf, mm*k.dModel)
	k.rstdF = grow(k.rstdF, mm)
}

// stackForward runs the blocks on res[0] (nb, nl, d_model) and leaves
// norm_f of the last residual stream in hf.
func (k *backbone[T]) stackForward(nb, nl int, train bool) error {
	for i, b := range k.blocks {
		if err := b.forward(k.res[i], k.res[i+1], nb, nl, train); err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
	}
	k.nb, k.nl = nb, nl
	rmsNormForwardBatches(*k.workers, nb, nl, k.dModel, k.res[len(k.blocks)], k.normF.W, k.hf, k.rstdF)
	return nil
}

// stackBackward takes ghf = ∂loss/∂hf (M, d_model), adds the gradients of
// every block and of norm_f to their G, and leaves ∂loss/∂res[0] in g.
//
// Block i's weight-gradient products run inside block i−1's parallel
// section and read block i's ∂loss/∂out, so the gradient rotates through
// three buffers (g, gAlt[0], gAlt[1]), starting in the one that makes it end
// in g.
func (k *backbone[T]) stackBackward(mm int, ghf, g []T) {
	for i := range k.gAlt {
		k.gAlt[i] = grow(k.gAlt[i], mm*k.dModel)
	}
	bufs := [3][]T{g, k.gAlt[0], k.gAlt[1]}
	n := len(k.blocks)
	at := (3 - n%3) % 3
	rmsNormBackwardBatches(*k.workers, k.nb, k.nl, k.dModel, k.res[n], k.normF.W, k.rstdF, ghf, k.normF.G, bufs[at], false, &k.gnormPart)
	var pending *pendingGrads[T]
	for i := n - 1; i >= 0; i-- {
		pending = k.blocks[i].backward(bufs[at], bufs[(at+1)%3], pending)
		at = (at + 1) % 3
	}
	pending.run(*k.workers)
}

// stackXProj returns a copy of layer's effective x_proj weight and its
// shape (see LM.EffectiveXProj); model names the caller in errors.
func (k *backbone[T]) stackXProj(model string, layer int) (w []T, rows, cols int, err error) {
	if layer < 0 || layer >= len(k.blocks) {
		return nil, 0, 0, fmt.Errorf("model: %s: layer %d out of range [0, %d)", model, layer, len(k.blocks))
	}
	rows, cols = k.blocks[layer].mix.xProjShape()
	return k.blocks[layer].mix.effectiveXProj(), rows, cols, nil
}

// zeroGrads sets the gradient of every parameter to zero.
func zeroGrads[T Float](ps []*Param[T]) {
	for _, p := range ps {
		p.ZeroGrad()
	}
}
