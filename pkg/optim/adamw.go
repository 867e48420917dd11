package optim

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/internal/parallel"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// AdamW is torch.optim.AdamW (Loshchilov & Hutter's decoupled weight decay)
// over a list of parameters, with the authors' settings (docs/paper.md §6.1:
// betas (0.9, 0.999), eps 1e-8, weight decay 0.25 in the paper's run).
// With DecayAll (the authors' recipe: their optimizer has no parameter
// groups, docs/paper.md §13) every parameter is decayed; without it the
// parameters marked NoDecay (A_log, D, biases, norm weights) are not, as in
// Mamba's own optimizer groups.
//
// For every element, at update t = Step+1 with learning rate lr:
//
//	w ← w·(1 − lr·λ)                      (when DecayAll or !NoDecay)
//	m ← β₁ m + (1−β₁) g
//	v ← β₂ v + (1−β₂) g²
//	w ← w − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
//
// The moments are stored in T (float32 in training, as PyTorch's exp_avg and
// exp_avg_sq for float32 weights) and computed in float64.
type AdamW[T mamba.Float] struct {
	Beta1, Beta2, Eps, WeightDecay float64
	// DecayAll decays the NoDecay parameters too (no parameter groups).
	DecayAll bool

	// Workers is how many goroutines Update may use (≤ 1: the calling
	// one). Every element's update is independent of the others, so the
	// result does not depend on it.
	Workers int

	// Step is the number of updates done so far (PyTorch's state "step").
	Step int
	// M and V are exp_avg and exp_avg_sq, one slice per parameter, same
	// length as the parameter's W.
	M, V [][]T

	params []*model.Param[T]
}

// NewAdamW returns an optimizer over params with zero moments.
func NewAdamW[T mamba.Float](params []*model.Param[T], beta1, beta2, eps, weightDecay float64) (*AdamW[T], error) {
	if !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) {
		return nil, fmt.Errorf("optim: adamw: betas (%v, %v) must lie in [0, 1)", beta1, beta2)
	}
	if !(eps > 0) || !(weightDecay >= 0) || math.IsInf(weightDecay, 0) {
		return nil, fmt.Errorf("optim: adamw: need eps > 0 and a finite weight decay >= 0, got eps=%v wd=%v", eps, weightDecay)
	}
	o := &AdamW[T]{Beta1: beta1, Beta2: beta2, Eps: eps, WeightDecay: weightDecay, params: params}
	for _, p := range params {
		if err := p.Check(); err != nil {
			return nil, fmt.Errorf("optim: adamw: %w", err)
		}
		o.M = append(o.M, make([]T, len(p.W)))
		o.V = append(o.V, make([]T, len(p.W)))
	}
	return o, nil
}

// Params returns the parameters the optimizer updates, in order.
func (o *AdamW[T]) Params() []*model.Param[T] { return o.params }

// Update applies one AdamW step with learning rate lr using the gradients
// currently in Param.G (which it leaves untouched).
func (o *AdamW[T]) Update(lr float64) error {
	if !(lr >= 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("optim: adamw: learning rate %v is not a finite number >= 0", lr)
	}
	o.Step++
	t := float64(o.Step)
	bc1 := 1 - math.Pow(o.Beta1, t)
	bc2 := 1 - math.Pow(o.Beta2, t)
	stepSize := lr / bc1
	sqrtBC2 := math.Sqrt(bc2)
	c := adamwStep{b1: o.Beta1, b2: o.Beta2, eps: o.Eps, stepSize: stepSize, sqrtBC2: sqrtBC2}
	total := 0
	for _, p := range o.params {
		total += len(p.W)
	}
	workers := o.Workers
	if total < adamwMinSplit {
		workers = 1
	}
	// The elements of all parameters, in order, split into contiguous ranges.
	parallel.Ranges(total, workers, func(_, lo, hi int) {
		off := 0
		for i, p := range o.params {
			n := len(p.W)
			if a, b := max(lo, off), min(hi, off+n); a < b {
				decay := 1.0
				if o.DecayAll || !p.NoDecay {
					decay = 1 - lr*o.WeightDecay
				}
				adamwElems(c, decay, p.W[a-off:b-off], p.G[a-off:b-off], o.M[i][a-off:b-off], o.V[i][a-off:b-off])
			}
			off += n
		}
	})
	return nil
}

// adamwMinSplit is the number of elements below which Update stays on the
// calling goroutine (starting another costs more than it saves).
const adamwMinSplit = 1 << 14

// adamwStep holds one update's constants.
type adamwStep struct{ b1, b2, eps, stepSize, sqrtBC2 float64 }

// adamwElems applies the update to one run of elements of a parameter:
// weights w, gradients g, moments m and v (all the same length), with the
// decay factor of that parameter.
func adamwElems[T mamba.Float](c adamwStep, decay float64, w, g, m, v []T) {
	b1, b2 := c.b1, c.b2
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j, gj := range g {
		gf := float64(gj)
		mj := b1*float64(m[j]) + (1-b1)*gf
		vj := b2*float64(v[j]) + (1-b2)*gf*gf
		m[j], v[j] = T(mj), T(vj)
		// Use the rounded moments, as PyTorch does with float32 state.
		wj := float64(w[j]) * decay
		wj -= c.stepSize * float64(m[j]) / (math.Sqrt(float64(v[j]))/c.sqrtBC2 + c.eps)
		w[j] = T(wj)
	}
}
