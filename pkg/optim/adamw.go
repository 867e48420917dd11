package optim

import (
	"fmt"
	"math"

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
	b1, b2 := o.Beta1, o.Beta2
	for i, p := range o.params {
		decay := 1.0
		if o.DecayAll || !p.NoDecay {
			decay = 1 - lr*o.WeightDecay
		}
		m, v := o.M[i], o.V[i]
		for j, g := range p.G {
			gf := float64(g)
			mj := b1*float64(m[j]) + (1-b1)*gf
			vj := b2*float64(v[j]) + (1-b2)*gf*gf
			m[j], v[j] = T(mj), T(vj)
			// Use the rounded moments, as PyTorch does with float32 state.
			w := float64(p.W[j]) * decay
			w -= stepSize * float64(m[j]) / (math.Sqrt(float64(v[j]))/sqrtBC2 + o.Eps)
			p.W[j] = T(w)
		}
	}
	return nil
}
