package model

import (
	"fmt"
	"math"
)

// Param is one named trainable tensor and its gradient, the unit that the
// optimizer, checkpoints and gradient checks work on.
//
// Name is the PyTorch state-dict name of Mamba (mamba_ssm's MambaLMHeadModel),
// for example "backbone.layers.0.mixer.in_proj.weight", so that a checkpoint
// written here loads into PyTorch and back. Shape is in PyTorch's order
// (out_features, in_features for a linear weight); W and G are flat row-major
// with len(W) = len(G) = product(Shape). NoDecay marks the tensors of Mamba's
// no-weight-decay group (A_log, D, biases and norm weights), which AdamW
// then does not decay; the authors use no groups (optim.DecayGroups clears
// the marks). T is float32
// for training and float64 for gradient checks.
type Param[T Float] struct {
	Name    string
	Shape   []int
	W, G    []T
	NoDecay bool
}

// NewParam allocates a zeroed parameter of the given shape.
func NewParam[T Float](name string, noDecay bool, shape ...int) *Param[T] {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return &Param[T]{Name: name, Shape: append([]int(nil), shape...), W: make([]T, n), G: make([]T, n), NoDecay: noDecay}
}

// Size is the number of elements, product(Shape).
func (p *Param[T]) Size() int { return len(p.W) }

// ZeroGrad sets G to zero.
func (p *Param[T]) ZeroGrad() {
	for i := range p.G {
		p.G[i] = 0
	}
}

// Check reports a shape inconsistency or a non-finite weight.
func (p *Param[T]) Check() error {
	n := 1
	for _, s := range p.Shape {
		if s < 1 {
			return fmt.Errorf("model: param %s: shape %v has a non-positive size", p.Name, p.Shape)
		}
		n *= s
	}
	if len(p.W) != n || len(p.G) != n {
		return fmt.Errorf("model: param %s: shape %v needs %d elements, have W=%d G=%d", p.Name, p.Shape, n, len(p.W), len(p.G))
	}
	for i, v := range p.W {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("model: param %s: element %d is %v (NaN or Inf)", p.Name, i, v)
		}
	}
	return nil
}
