package model

import "github.com/tokendyn/tokendyn/pkg/mamba"

// Float is the element type of every tensor of the network: float32 for
// training, float64 for the gradient checks and the theory. It is the
// layer's constraint (pkg/mamba).
type Float = mamba.Float

// grow returns s resized to n elements, reallocating only when too small.
// The contents are unspecified.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
