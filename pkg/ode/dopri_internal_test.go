package ode

import (
	"math"
	"testing"
)

// One step of x' = (cos t) x, x(0) = 1, exact x = e^{sin t}: the local
// error of the 5th-order solution is O(h⁶) and that of the continuous
// extension O(h⁵), so halving h divides them by about 64 and 32.
func TestLocalOrders(t *testing.T) {
	f := func(t float64, x, dx []float64) { dx[0] = math.Cos(t) * x[0] }
	exact := func(t float64) float64 { return math.Exp(math.Sin(t)) }
	const t0 = 0.3
	local := func(h float64) (stepErr, denseErr float64) {
		var s stepper
		s.resize(1)
		y := []float64{exact(t0)}
		f(t0, y, s.k[0])
		s.step(f, t0, h, y, 1, 1)
		stepErr = math.Abs(s.ynew[0] - exact(t0+h))
		s.prepareDense(h, y)
		x := []float64{0}
		// θ = 0.4 (not 0.5, where the extension's leading error term can
		// nearly vanish for symmetric problems).
		s.dense(0.4, x)
		denseErr = math.Abs(x[0] - exact(t0+0.4*h))
		return
	}
	s1, d1 := local(0.1)
	s2, d2 := local(0.05)
	s3, d3 := local(0.025)
	for _, r := range []float64{s1 / s2, s2 / s3} {
		if p := math.Log2(r); p < 5.5 || p > 6.6 {
			t.Errorf("step error ratio 2^%.2f, want about 2^6", p)
		}
	}
	for _, r := range []float64{d1 / d2, d2 / d3} {
		if p := math.Log2(r); p < 4.6 || p > 5.6 {
			t.Errorf("dense error ratio 2^%.2f, want about 2^5 (a Hermite cubic would give 2^4)", p)
		}
	}
}

// The continuous extension interpolates the step's end points and slopes.
func TestDenseEndPoints(t *testing.T) {
	f := func(t float64, x, dx []float64) { dx[0], dx[1] = x[1]*t, -x[0] }
	var s stepper
	s.resize(2)
	y := []float64{0.7, -0.2}
	f(1, y, s.k[0])
	const h = 0.3
	s.step(f, 1, h, y, 1e-6, 1e-6)
	s.prepareDense(h, y)
	x := make([]float64, 2)
	s.dense(0, x)
	if x[0] != y[0] || x[1] != y[1] {
		t.Errorf("dense(0) = %v, want %v", x, y)
	}
	s.dense(1, x)
	for i := range x {
		if math.Abs(x[i]-s.ynew[i]) > 1e-15 {
			t.Errorf("dense(1) = %v, want %v", x, s.ynew)
		}
	}
	// Slopes by central differences in θ.
	const d = 1e-6
	a, b := make([]float64, 2), make([]float64, 2)
	s.dense(d, a)
	s.dense(0, b)
	for i := range a {
		if slope := (a[i] - b[i]) / d / h; math.Abs(slope-s.k[0][i]) > 1e-5 {
			t.Errorf("slope at θ=0: %v, want %v", slope, s.k[0][i])
		}
	}
}
