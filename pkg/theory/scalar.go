package theory

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/ode"
)

// Scalar is the one-dimensional token dynamics of the paper's theorems
// (docs/paper.md §2.2, D = 1) with A = -a·I_N:
//
//	Mu      μ = S_Cᵀ S_B, the input/output projection "matrix" (a scalar)
//	SDelta  S_Δ, so Δ(x) = softplus(S_Δ x)
//	A       a > 0 (the state matrix is A = -a I_N)
//
// Only μ enters because S_Cᵀ e^{-as} S_B = e^{-as} μ. The tokens x_l ∈ R,
// l = 1..L, follow
//
//	dx_l/dt = μ x_l Σ_{j≤l} x_j² Δ(x_j) exp(-a Σ_{k=j+1..l} Δ(x_k)),
//
// computed as one scan h_l = e^{-aΔ_l} h_{l-1} + Δ_l x_l², dx_l/dt = μ x_l h_l.
type Scalar struct {
	Mu, SDelta, A float64
}

// Validate checks that the parameters are finite and a > 0.
func (s Scalar) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"mu", s.Mu}, {"S_Δ", s.SDelta}, {"a", s.A}} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			return fmt.Errorf("theory: %s = %v is not finite", p.name, p.v)
		}
	}
	if !(s.A > 0) {
		return fmt.Errorf("theory: a = %v, want a > 0 (A = -a I must be negative)", s.A)
	}
	return nil
}

// Eval writes dx/dt into dxdt for the tokens x, both (L). It allocates
// nothing and is safe for concurrent use.
func (s Scalar) Eval(x, dxdt []float64) {
	var h float64
	for l, xl := range x {
		dl := mamba.Softplus(s.SDelta * xl)
		h = math.Exp(-s.A*dl)*h + dl*xl*xl
		dxdt[l] = s.Mu * xl * h
	}
}

// Func adapts Eval to the ode package (the dynamics is autonomous).
func (s Scalar) Func() ode.Func {
	return func(_ float64, x, dxdt []float64) { s.Eval(x, dxdt) }
}

// System returns the same dynamics as a general D = 1 System with state
// size N: S_B = v, S_C = sign(μ) v with |v|² = |μ|, A_1 = (-a, …, -a).
// It is how the scalar recurrence is cross-checked against the S6 scan.
func (s Scalar) System(n int) *System {
	v := math.Sqrt(math.Abs(s.Mu) / float64(n))
	sign := 1.0
	if s.Mu < 0 {
		sign = -1
	}
	sys := &System{D: 1, N: n, SB: make([]float64, n), SC: make([]float64, n), SDelta: []float64{s.SDelta}, A: make([]float64, n)}
	for i := 0; i < n; i++ {
		sys.SB[i], sys.SC[i], sys.A[i] = v, sign*v, -s.A
	}
	return sys
}

// DiagonalScalar is the one-dimensional dynamics with a general diagonal
// A = diag(A_1..A_N) < 0 (docs/paper.md §3, degenerate cases):
//
//	dx_l/dt = x_l Σ_{j≤l} x_j² Δ(x_j) φ(Σ_{k=j+1..l} Δ(x_k)),
//	φ(s) = S_Cᵀ e^{sA} S_B = Σ_n S_C,n S_B,n e^{A_n s}.
//
// Only the first token is governed by μ = φ(0) alone (dx_1/dt =
// μ x_1³ Δ(x_1)); for l ≥ 2 the kernel φ can change sign when the A_n
// differ, so the sign of μ does not decide the fate of the later tokens
// and the criteria of Classify do not apply. Use it through System(); it
// exists to make that limit explicit and testable.
type DiagonalScalar struct {
	SB, SC, A []float64 // (N) each, A < 0
	SDelta    float64
}

// System returns the D = 1 System of d.
func (d DiagonalScalar) System() *System {
	n := len(d.A)
	return &System{D: 1, N: n, SB: append([]float64(nil), d.SB...), SC: append([]float64(nil), d.SC...),
		SDelta: []float64{d.SDelta}, A: append([]float64(nil), d.A...)}
}

// Phi returns the kernel φ(s) = Σ_n S_C,n S_B,n e^{A_n s}.
func (d DiagonalScalar) Phi(s float64) float64 {
	var v float64
	for n := range d.A {
		v += d.SC[n] * d.SB[n] * math.Exp(d.A[n]*s)
	}
	return v
}
