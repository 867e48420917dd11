// Package gradcheck holds the test helpers shared by the layer (pkg/mamba)
// and the network (pkg/model): finite-difference gradient checks in float64
// and seeded random vectors. It is imported by tests only.
package gradcheck

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Finite-difference gradient checks (float64). A function f of some
// parameters x is checked by comparing the analytic gradient g[i] with a
// central difference of f in x[i], Richardson-extrapolated,
//
//	D(h) = (f(x+h e_i) − f(x−h e_i)) / 2h,   fd = (4 D(h/2) − D(h)) / 3,
//
// which cancels the h² term of the central difference (RMSNorm of the small
// initial embeddings makes f strongly curved), and requiring
//
//	|g − fd| / max(|g|, |fd|, Floor) ≤ Tol
//
// The floor turns the relative test into an absolute one (Tol·Floor
// = 1e-9) for gradients too small to compare relatively. With h = 1e-5 the
// remaining error is the round-off, about 1e-16·|f|/h ≈ 1e-11.
const (
	Step  = 1e-5
	Tol   = 1e-4
	Floor = 1e-5
)

// Check compares g against central differences of f in the coordinates
// idx of x (all of them when idx is nil). x is restored afterwards.
func Check(t testing.TB, name string, x, g []float64, idx []int, f func() float64) {
	t.Helper()
	if len(x) != len(g) {
		t.Fatalf("%s: %d values, %d gradients", name, len(x), len(g))
	}
	if idx == nil {
		idx = make([]int, len(x))
		for i := range idx {
			idx[i] = i
		}
	}
	bad := 0
	for _, i := range idx {
		old := x[i]
		central := func(h float64) float64 {
			x[i] = old + h
			fp := f()
			x[i] = old - h
			fm := f()
			x[i] = old
			return (fp - fm) / (2 * h)
		}
		fd := (4*central(Step/2) - central(Step)) / 3
		den := math.Max(math.Max(math.Abs(g[i]), math.Abs(fd)), Floor)
		if rel := math.Abs(g[i]-fd) / den; !(rel <= Tol) {
			bad++
			if bad <= 5 {
				t.Errorf("%s[%d]: analytic %.10g, finite difference %.10g, relative error %.3g", name, i, g[i], fd, rel)
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d of %d coordinates off", name, bad, len(idx))
	}
}

// SampleIdx returns up to k distinct indices of [0, n), all if n ≤ k.
func SampleIdx(rng *rand.Rand, n, k int) []int {
	if n <= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	return rng.Perm(n)[:k]
}

// RandVec returns n values U(−s, s).
func RandVec(rng *rand.Rand, n int, s float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = (2*rng.Float64() - 1) * s
	}
	return v
}

// Dot is Σ a_i b_i, the probe loss ⟨r, y⟩ whose gradient w.r.t. y is r.
func Dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// NewRNG is a PCG generator seeded with (seed, seed).
func NewRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

// F32 converts v to float32, for the float32 paths checked against float64.
func F32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
