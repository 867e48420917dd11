package mamba

import (
	"math"
	"testing"
)

// TestActivationKernels checks the float32 vector activations against
// float64 math on a grid covering both saturations and the overflow range,
// with a length that leaves a tail the kernels must not touch.
func TestActivationKernels(t *testing.T) {
	var x []float32
	for v := -120.0; v <= 120; v += 0.0173 {
		x = append(x, float32(v))
	}
	x = append(x, 0, -0.0, 1e-8, -1e-8, 3) // the tail ends in 3 elements past a multiple of 8
	nx := len(x)
	want := len(x) &^ 7
	if !haveActivationKernels() {
		want = 0
	}
	gy := make([]float32, nx)
	for i := range gy {
		gy[i] = float32(math.Sin(float64(i)))
	}
	sentinel := float32(-12345)
	fill := func() []float32 {
		d := make([]float32, nx)
		for i := range d {
			d[i] = sentinel
		}
		return d
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	check := func(name string, got []float32, n int, ref func(i int, v float64) float64, tol func(i int, r float64) float64) {
		t.Helper()
		if n != want {
			t.Fatalf("%s processed %d elements, want %d", name, n, want)
		}
		for i := range got {
			if i >= n {
				if got[i] != sentinel {
					t.Fatalf("%s wrote element %d past the processed prefix %d", name, i, n)
				}
				continue
			}
			r := ref(i, float64(x[i]))
			if math.Abs(float64(got[i])-r) > tol(i, r) {
				t.Fatalf("%s(%v) = %v, want %v", name, x[i], got[i], r)
			}
		}
	}
	rel := func(k float64) func(int, float64) float64 {
		// 1e-36: far in the saturation (x ≲ −83) results flush to 0.
		return func(_ int, r float64) float64 { return k*math.Abs(r) + 1e-36 }
	}
	d := fill()
	check("Sigmoid8", d, Sigmoid8(d, x), func(_ int, v float64) float64 { return sig(v) }, rel(4e-7))
	d = fill()
	check("SiLU8", d, SiLU8(d, x), func(_ int, v float64) float64 { return v * sig(v) }, rel(4e-7))
	d = fill()
	check("Softplus8", d, Softplus8(d, x), func(_ int, v float64) float64 {
		if v > 30 {
			return v + math.Log1p(math.Exp(-v))
		}
		return math.Log1p(math.Exp(v))
	}, rel(4e-7))
	d = fill()
	check("SigmoidMul8", d, SigmoidMul8(d, x, gy), func(i int, v float64) float64 { return float64(gy[i]) * sig(v) }, rel(5e-7))
	siluGrad := func(i int, v float64) float64 {
		s := sig(v)
		return float64(gy[i]) * s * (1 + v*(1-s))
	}
	// The adjoint cancels near its zero (x ≈ −1.28), so its error is bounded
	// relative to the size of its terms, |gy|·σ·(1 + |x|(1−σ)),
	gradTol := func(i int, _ float64) float64 {
		v := float64(x[i])
		s := sig(v)
		// plus x times the rounding of σ in float32, which 1 − σ inherits.
		return math.Abs(float64(gy[i]))*(6e-7*s*(1+math.Abs(v)*(1-s))+1.2e-7*math.Abs(v)*s) + 1e-36
	}
	d = fill()
	check("SiLUBackward8", d, SiLUBackward8(d, x, gy, false), siluGrad, gradTol)
	// accumulate adds to what is there
	acc := make([]float32, nx)
	for i := range acc {
		acc[i] = 0.5
	}
	n := SiLUBackward8(acc, x, gy, true)
	for i := 0; i < n; i++ {
		if r := 0.5 + siluGrad(i, float64(x[i])); math.Abs(float64(acc[i])-r) > gradTol(i, 0)+3e-8 {
			t.Fatalf("SiLUBackward8 accumulate at x = %v: %v, want %v", x[i], acc[i], r)
		}
	}
}
