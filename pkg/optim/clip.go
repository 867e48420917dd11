package optim

import (
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// GradNorm returns the global Euclidean norm of all gradients,
// sqrt(Σ_p Σ_i G_p[i]²), accumulated in float64.
func GradNorm[T mamba.Float](ps []*model.Param[T]) float64 {
	var s float64
	for _, p := range ps {
		for _, g := range p.G {
			s += float64(g) * float64(g)
		}
	}
	return math.Sqrt(s)
}

// ClipGradNorm is torch.nn.utils.clip_grad_norm_ (docs/paper.md §6.1: clip
// 1.0): when the global gradient norm exceeds maxNorm it scales every
// gradient by maxNorm/(norm + 1e-6). It returns the norm before clipping.
// A non-finite norm is returned unchanged and the gradients are left alone,
// so that the caller can report it.
func ClipGradNorm[T mamba.Float](ps []*model.Param[T], maxNorm float64) float64 {
	norm := GradNorm(ps)
	if math.IsNaN(norm) || math.IsInf(norm, 0) || !(maxNorm > 0) {
		return norm
	}
	coef := maxNorm / (norm + 1e-6)
	if coef >= 1 {
		return norm
	}
	ScaleGrads(ps, coef)
	return norm
}

// ScaleGrads multiplies every gradient by s (used to average accumulated
// micro-batch gradients).
func ScaleGrads[T mamba.Float](ps []*model.Param[T], s float64) {
	for _, p := range ps {
		for i, g := range p.G {
			p.G[i] = T(float64(g) * s)
		}
	}
}

// ZeroGrads zeroes every gradient.
func ZeroGrads[T mamba.Float](ps []*model.Param[T]) {
	for _, p := range ps {
		p.ZeroGrad()
	}
}
