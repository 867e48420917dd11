package theory

import (
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// Predicted quantities of the 1-D dynamics (docs/paper.md §3). All token
// arguments are initial values x_l(0); results are +Inf when the quantity
// is infinite (no blow-up) and NaN when it does not apply.

// SqrtTLimit is lim_{t→∞} √t |x_1(t)| = (2|μ| ln 2)^-½ for μ < 0 and
// x_1(0) ≠ 0 (Theorem A). Derivation: d(x_1⁻²)/dt = 2|μ| Δ(x_1) and
// Δ(x_1) → softplus(0) = ln 2. The relative error at time t is
// O(|S_Δ|/√t + 1/(t x_1(0)²)). NaN when μ ≥ 0.
func (s Scalar) SqrtTLimit() float64 {
	if !(s.Mu < 0) {
		return math.NaN()
	}
	return 1 / math.Sqrt(2*math.Abs(s.Mu)*math.Ln2)
}

// SqrtTLimits returns lim √t |x_l(t)| for every token (L) when μ < 0. With
// K = 1/(2|μ| ln 2) and q = 2^-a, a power-law ansatz x_l ≈ c_l t^-½ in the
// scan (all Δ → ln 2, so e^{-aΔ} → q) gives
//
//	c_l² = K - Σ_{j<l} q^{l-j} c_j²   for x_l(0) ≠ 0, c_l = 0 otherwise,
//
// so c_1² = K and c_l² = K(1 - q) for l ≥ 2 when no token is zero. This is
// derived here (not a statement of the paper); the approach to c_l is slow,
// with a relative error decaying like t^-(1-q) (t^-0.5 for a = 1,
// t^-0.07 for a = 0.1). NaN entries when μ ≥ 0. O(L): the sum is carried
// as S_{l+1} = q (S_l + c_l²).
func (s Scalar) SqrtTLimits(x0 []float64) []float64 {
	out := make([]float64, len(x0))
	if !(s.Mu < 0) {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	k := 1 / (2 * math.Abs(s.Mu) * math.Ln2)
	q := math.Exp2(-s.A)
	sum := 0.0 // Σ_{j<l} q^{l-j} c_j²
	for l, v := range x0 {
		c2 := 0.0
		if v != 0 {
			c2 = math.Max(0, k-sum)
		}
		out[l] = math.Sqrt(c2)
		sum = q * (sum + c2)
	}
	return out
}

// SqrtTBound is the bound sup_t √t |x_l(t)| ≤ (2|μ| softplus(-|S_Δ x_l(0)|))^-½
// valid for every token when μ < 0: the cross terms only speed up the decay,
// so d(x_l⁻²)/dt ≥ 2|μ| Δ(x_l(t)) ≥ 2|μ| softplus(-|S_Δ x_l(0)|) (|x_l| is
// non-increasing). It is the O(1/√t) of Theorem A with an explicit constant.
func (s Scalar) SqrtTBound(x0l float64) float64 {
	if !(s.Mu < 0) {
		return math.NaN()
	}
	return 1 / math.Sqrt(2*math.Abs(s.Mu)*mamba.Softplus(-math.Abs(s.SDelta*x0l)))
}

// TokenBlowUpTime is the blow-up time of a single token started at x0l,
// alone (the first token, or an upper bound for any later token, whose
// cross terms only accelerate it):
//
//	T(x0l) = ∫_{|x0l|}^∞ dy / (μ y³ softplus(σ y)),  σ = S_Δ sign(x0l),
//
// computed after y = |x0l|/u as (1/(μ x0l²)) ∫_0^1 u / softplus(σ|x0l|/u) du
// with adaptive Gauss–Kronrod quadrature (relative accuracy ~1e-13). It is
// 1/(2 μ ln2 x0l²) when S_Δ = 0 and +Inf when μ ≤ 0, x0l = 0 or
// S_Δ x0l < 0 (the integral diverges: no blow-up).
func (s Scalar) TokenBlowUpTime(x0l float64) float64 {
	if !(s.Mu > 0) || x0l == 0 || s.SDelta*x0l < 0 {
		return math.Inf(1)
	}
	y0 := math.Abs(x0l)
	if s.SDelta == 0 {
		return 1 / (2 * s.Mu * math.Ln2 * y0 * y0)
	}
	c := math.Abs(s.SDelta) * y0
	g := func(u float64) float64 { return u / mamba.Softplus(c/u) }
	return integrate(g, 0, 1, 1e-13) / (s.Mu * y0 * y0)
}

// FirstTokenTime returns the time the first token needs to go from x0 to x
// (same sign, both nonzero), ∫_{x0}^{x} dz / (μ z³ softplus(S_Δ z)), by
// quadrature; negative or +Inf when x cannot be reached. It is the exact
// solution of the scalar ODE x_1' = μ x_1³ softplus(S_Δ x_1) in implicit
// form, an independent check of any simulation.
func (s Scalar) FirstTokenTime(x0, x float64) float64 {
	if x0 == 0 || x == 0 || (x0 > 0) != (x > 0) || s.Mu == 0 {
		return math.Inf(1)
	}
	g := func(z float64) float64 { return 1 / (s.Mu * z * z * z * mamba.Softplus(s.SDelta*z)) }
	// Integrate in ln|z| for accuracy over several decades.
	sign := 1.0
	if x0 < 0 {
		sign = -1
	}
	a, b := math.Log(math.Abs(x0)), math.Log(math.Abs(x))
	h := func(v float64) float64 { z := sign * math.Exp(v); return g(z) * z }
	return integrate(h, a, b, 1e-13)
}

// Bounds are the predicted bounds on the blow-up time T* of a 1-D system.
type Bounds struct {
	// Paper is Theorem C's bound min_l 1/(3 μ |S_Δ| |x_l(0)|³) over the
	// tokens with S_Δ x_l(0) > 0 (from softplus(z) > z); for S_Δ = 0 it is
	// min_l 1/(2 μ ln2 x_l(0)²) over the nonzero tokens.
	Paper float64
	// Quadrature is the sharper min_l TokenBlowUpTime(x_l(0)) ≤ Paper.
	Quadrature float64
	// FirstToken is TokenBlowUpTime(x_1(0)): T* itself when token 1 is the
	// first to blow up.
	FirstToken float64
}

// Bounds returns the blow-up bounds for x0 (L); all +Inf when μ ≤ 0 or no
// token can blow up.
func (s Scalar) Bounds(x0 []float64) Bounds {
	b := Bounds{Paper: math.Inf(1), Quadrature: math.Inf(1), FirstToken: math.Inf(1)}
	if !(s.Mu > 0) || len(x0) == 0 {
		return b
	}
	for _, v := range x0 {
		if v == 0 || s.SDelta*v < 0 {
			continue
		}
		y := math.Abs(v)
		paper := 1 / (3 * s.Mu * math.Abs(s.SDelta) * y * y * y)
		if s.SDelta == 0 {
			paper = 1 / (2 * s.Mu * math.Ln2 * y * y)
		}
		b.Paper = math.Min(b.Paper, paper)
		b.Quadrature = math.Min(b.Quadrature, s.TokenBlowUpTime(v))
	}
	b.FirstToken = s.TokenBlowUpTime(x0[0])
	return b
}

// SlowOffset is the constant of the slow divergence of the first token:
// with y = |x_1| and s = |S_Δ|, G(t) = s·y - 3 ln y satisfies
//
//	G(t) = ln t + ln(μ s) - ln(1 + 3/(sy) + 12/(sy)² + …) + o(1),
//
// so dG/d ln t → 1 with a relative error O(3/(sy)²), about 0.5 % at
// t = 1e8 (derivation: Δ(x_1) = ln(1 + e^{-sy}) ≈ e^{-sy}, and
// t = ∫ e^{sz}/(μ z³) dz = e^{sy}/(μ s y³)·(1 + 3/(sy) + 12/(sy)² + …)).
// The paper's form y = (ln t + 3 ln ln t + c)/s follows, but its
// ln ln t term converges much more slowly than G, which is why Sweep
// measures the slope of G. NaN unless μ > 0 and S_Δ ≠ 0.
func (s Scalar) SlowOffset() float64 {
	if !(s.Mu > 0) || s.SDelta == 0 {
		return math.NaN()
	}
	return math.Log(s.Mu * math.Abs(s.SDelta))
}

// SlowG is G = |S_Δ| |x_1| - 3 ln |x_1|, the quantity of SlowOffset.
func (s Scalar) SlowG(x1 float64) float64 {
	y := math.Abs(x1)
	return math.Abs(s.SDelta)*y - 3*math.Log(y)
}
