package theory

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// EulerStack against an independent Euler loop on the 1-D recurrence
// Scalar.Eval (the stack uses the general S6 scan of Field): the same
// iterates up to rounding.
func TestEulerStackMatchesScalarRecurrence(t *testing.T) {
	s := Scalar{Mu: -0.7, SDelta: 1.3, A: 0.8}
	x0 := []float64{1, -0.8, 0.5, 1.2, -0.1}
	const T, K = 2.0, 300
	got, err := s.System(4).EulerStack(x0, T, K)
	if err != nil {
		t.Fatal(err)
	}
	x := append([]float64(nil), x0...)
	y := make([]float64, len(x))
	for k := 0; k < K; k++ {
		s.Eval(x, y)
		for i := range x {
			x[i] += T / K * y[i]
		}
	}
	for l := range x {
		if math.Abs(got[l]-x[l]) > 1e-12*math.Max(1, math.Abs(x[l])) {
			t.Errorf("token %d: stack %v, scalar Euler %v", l+1, got[l], x[l])
		}
	}
}

// The stack is the Euler scheme of the ODE: its error at depth T is
// e(h) = C₁h + C₂h² + …, so the fitted log-log slope over h ∈ [h_min, h_max]
// is 1 + O(h_max). Measured on case (C) of Fig. 6 (5 tokens, T = 1): over
// h ∈ [1e-3, 1e-1] the slope is 1.015, over [1e-4, 1e-2] 1.0013. The test
// asks for |slope − 1| < 0.01 on the fine range — a tenth of the distance to
// the order 0.9 or 1.1 of a wrong scheme, and seven times the measured
// deviation — and that the deviation shrinks at least fivefold when h_max
// does tenfold (an O(h_max) term shrinks tenfold).
func TestEulerErrorIsFirstOrder(t *testing.T) {
	sys := NewPlanarSystem(TwoNegative, rand.New(rand.NewPCG(5, 5)))
	rng := rand.New(rand.NewPCG(6, 6))
	x0 := make([]float64, 5*2)
	for i := range x0 {
		x0[i] = 2*rng.Float64() - 1
	}
	coarse, err := sys.EulerError(x0, 1, []int{10, 20, 50, 100, 200, 500, 1000})
	if err != nil {
		t.Fatal(err)
	}
	fine, err := sys.EulerError(x0, 1, []int{100, 200, 500, 1000, 2000, 5000, 10000})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range fine {
		if p.H != 1/float64(p.Layers) || !(p.Err > 0) {
			t.Fatalf("point %d: %+v", i, p)
		}
		if i > 0 && !(p.Err < fine[i-1].Err) {
			t.Errorf("error does not fall with h: %+v after %+v", p, fine[i-1])
		}
	}
	pc, pf := EulerOrder(coarse), EulerOrder(fine)
	if math.Abs(pf-1) > 0.01 {
		t.Errorf("fitted order over h in [1e-4, 1e-2] = %.5f, want 1 ± 0.01", pf)
	}
	if math.Abs(pf-1) > math.Abs(pc-1)/5 {
		t.Errorf("order deviation %.2e (h ≤ 1e-2) is not below a fifth of %.2e (h ≤ 1e-1)", pf-1, pc-1)
	}
}

func TestEulerOrderClosedForm(t *testing.T) {
	var pts []EulerPoint
	for _, h := range []float64{0.1, 0.01, 0.001} {
		pts = append(pts, EulerPoint{H: h, Err: 3 * h * h})
	}
	if p := EulerOrder(pts); math.Abs(p-2) > 1e-12 {
		t.Errorf("order of e = 3h² is %v, want 2", p)
	}
	if p := EulerOrder(pts[:1]); !math.IsNaN(p) {
		t.Errorf("order from one point = %v, want NaN", p)
	}
}

func TestEulerErrors(t *testing.T) {
	s := Scalar{Mu: 1, SDelta: 1, A: 1}.System(2)
	if _, err := s.EulerError([]float64{1, 1}, 5, []int{10}); err == nil || !strings.Contains(err.Error(), "blows up") {
		t.Errorf("a blow-up before T: err = %v", err)
	}
	for _, K := range []int{0, -3} {
		if _, err := s.EulerStack([]float64{1}, 1, K); err == nil {
			t.Errorf("K = %d accepted", K)
		}
	}
	if _, err := s.EulerStack([]float64{1}, math.Inf(1), 10); err == nil {
		t.Error("T = +Inf accepted")
	}
	if _, err := s.EulerStack([]float64{1e200}, 1, 1); err == nil {
		t.Error("an overflowing update is not reported")
	}
}
