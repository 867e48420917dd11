package theory

import (
	"fmt"
	"math"
)

// The continuous-time limit (docs/paper.md §2): K residual S6 layers with
// shared parameters and updates scaled by h,
//
//	x^{(k+1)}_l = x^{(k)}_l + h·S6(x^{(k)})_l,   k = 0 … K−1,
//
// are the explicit Euler scheme of dx_l/dt = Σ_{j≤l} P_lj x_j with t = kh,
// so at depth T = Kh the stack is within O(h) of the ODE's x(T).

// EulerPoint is the error of one depth discretisation of [0, T].
type EulerPoint struct {
	Layers int     // K, the number of residual layers
	H      float64 // the step h = T/K
	Err    float64 // max_{l,d} |x^{(K)}_{l,d} − x_{l,d}(T)|
}

// EulerStack runs K residual S6 layers of step h = T/K from the tokens x0
// (L, D) and returns x^{(K)}, (L, D). It fails when an update overflows.
func (s *System) EulerStack(x0 []float64, T float64, K int) ([]float64, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	L, err := s.checkTokens("x0", x0)
	if err != nil {
		return nil, err
	}
	if K < 1 || !(T > 0) || math.IsInf(T, 1) {
		return nil, fmt.Errorf("theory: Euler stack of %d layers to depth %v: want K ≥ 1 and 0 < T < ∞", K, T)
	}
	f, err := s.NewField(L)
	if err != nil {
		return nil, err
	}
	h := T / float64(K)
	x := append([]float64(nil), x0...)
	y := make([]float64, len(x))
	for k := 0; k < K; k++ {
		f.Eval(x, y) // one S6 layer: y = S6(x^{(k)})
		for i := range x {
			x[i] += h * y[i]
		}
		if v := maxAbs(x); math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("theory: Euler stack of %d layers (h = %g) overflows at layer %d", K, h, k+1)
		}
	}
	return x, nil
}

// EulerError measures, for each K in layers, how far the K-layer stack of
// step h = T/K ends from the ODE solution x(T) of the same system from the
// same tokens x0 (L, D). The reference is pkg/ode's Dormand–Prince 5(4) at
// rtol 1e-12, atol 1e-14, far below any Euler error measured here; it fails
// when the ODE blows up before T.
func (s *System) EulerError(x0 []float64, T float64, layers []int) ([]EulerPoint, error) {
	tr, err := s.Simulate(x0, T, &SimOptions{Linear: true, RTol: 1e-12, ATol: 1e-14})
	if err != nil {
		return nil, err
	}
	if tr.BlowUp {
		return nil, fmt.Errorf("theory: the ODE blows up at t ≈ %.4g < T = %v: no Euler error to measure", tr.BlowUpTime, T)
	}
	pts := make([]EulerPoint, 0, len(layers))
	for _, K := range layers {
		x, err := s.EulerStack(x0, T, K)
		if err != nil {
			return nil, err
		}
		e := 0.0
		for i := range x {
			e = math.Max(e, math.Abs(x[i]-tr.XEnd[i]))
		}
		pts = append(pts, EulerPoint{Layers: K, H: T / float64(K), Err: e})
	}
	return pts, nil
}

// EulerOrder returns the least-squares slope of ln Err against ln H over
// pts: the observed order of the scheme (1 for Euler as h → 0). NaN with
// fewer than two points of distinct h and positive error.
func EulerOrder(pts []EulerPoint) float64 {
	var n, sx, sy, sxx, sxy float64
	for _, p := range pts {
		if p.Err > 0 && p.H > 0 {
			x, y := math.Log(p.H), math.Log(p.Err)
			n++
			sx += x
			sy += y
			sxx += x * x
			sxy += x * y
		}
	}
	den := n*sxx - sx*sx
	if n < 2 || den <= 0 {
		return math.NaN()
	}
	return (n*sxy - sx*sy) / den
}
