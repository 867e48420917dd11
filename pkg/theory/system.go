package theory

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// System holds the parameters of the continuous-time token dynamics in
// general dimension (docs/paper.md §2.1), shared by every layer (depth = time):
//
//	SB, SC  (N, D)  input/output projections, B_l = S_B x_l, C_l = S_C x_l
//	SDelta  (D, D)  step projection, Δ_l = softplus(S_Δ x_l + b)
//	Bias    (D)     optional b (nil: none; the paper's theory has none)
//	A       (D, N)  diagonal of A_d for every channel d, entries < 0
//
// All matrices are flat row-major. The dynamics of L tokens x_l ∈ R^D is
//
//	dx_{l,d}/dt = Σ_{j≤l} P^d_lj(t) x_{j,d},
//	P^d_lj = x_lᵀ S_Cᵀ exp(A_d Σ_{k=j+1..l} Δ_{k,d}) S_B x_j Δ_{j,d}.
type System struct {
	D, N   int
	SB, SC []float64
	SDelta []float64
	Bias   []float64
	A      []float64
}

// Validate checks the shapes, that every entry is finite and that A < 0.
func (s *System) Validate() error {
	if s == nil {
		return fmt.Errorf("theory: nil system")
	}
	if s.D < 1 || s.N < 1 {
		return fmt.Errorf("theory: system sizes D=%d, N=%d must be positive", s.D, s.N)
	}
	for _, m := range []struct {
		name  string
		v     []float64
		n     int
		shape string
		opt   bool
	}{
		{"S_B", s.SB, s.N * s.D, "(N, D)", false},
		{"S_C", s.SC, s.N * s.D, "(N, D)", false},
		{"S_Δ", s.SDelta, s.D * s.D, "(D, D)", false},
		{"A", s.A, s.D * s.N, "(D, N)", false},
		{"bias", s.Bias, s.D, "(D)", true},
	} {
		if m.opt && m.v == nil {
			continue
		}
		if len(m.v) != m.n {
			return fmt.Errorf("theory: %s has %d entries, want %d for shape %s with D=%d, N=%d", m.name, len(m.v), m.n, m.shape, s.D, s.N)
		}
		for i, v := range m.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("theory: %s[%d] = %v is not finite", m.name, i, v)
			}
		}
	}
	for i, v := range s.A {
		if !(v < 0) {
			return fmt.Errorf("theory: A[%d,%d] = %v, want a negative number (diagonal A_d must be negative)", i/s.N, i%s.N, v)
		}
	}
	return nil
}

// Mu returns the input/output projection matrix μ = S_Cᵀ S_B, (D, D)
// (docs/paper.md §1.1; a scalar when D = 1).
func (s *System) Mu() *mat.Dense {
	return mat.NewDense(s.D, s.D, Mu(s.SB, s.SC, s.N, s.D))
}

// Kernel returns φ_d(s) = S_Cᵀ exp(s A_d) S_B, (D, D), the matrix of the
// bilinear form between two tokens whose Δ's in between sum to s on
// channel d (φ_d(0) = μ). With A_d = -a I it is e^{-as} μ, so it keeps the
// signature of μ; with unequal diagonal entries it need not (docs/paper.md §3,
// degenerate cases).
func (s *System) Kernel(d int, sum float64) *mat.Dense {
	sc := mat.NewDense(s.N, s.D, s.SC)
	scaled := mat.NewDense(s.N, s.D, nil)
	for n := 0; n < s.N; n++ {
		e := math.Exp(sum * s.A[d*s.N+n])
		for k := 0; k < s.D; k++ {
			scaled.Set(n, k, e*s.SB[n*s.D+k])
		}
	}
	var m mat.Dense
	m.Mul(sc.T(), scaled)
	return &m
}

// checkTokens validates a token array x of shape (L, D) and returns L.
func (s *System) checkTokens(name string, x []float64) (int, error) {
	if len(x) == 0 || len(x)%s.D != 0 {
		return 0, fmt.Errorf("theory: %s has %d entries, want a positive multiple of D=%d (shape (L, D))", name, len(x), s.D)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("theory: %s[%d,%d] = %v is not finite", name, i/s.D, i%s.D, v)
		}
	}
	return len(x) / s.D, nil
}
