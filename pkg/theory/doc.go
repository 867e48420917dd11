// Package theory is the continuous-time token dynamics of deep selective
// state space models (docs/paper.md §2–§4): the system, its right-hand side as
// one S6 pass, the one-dimensional theorems (Table 1) as executable
// criteria and predictions, simulations, a verification sweep and the
// empirical two-dimensional study of Fig. 6.
//
// Glossary (this package's code names — paper symbol — meaning; the
// repository's glossary, with the function computing each symbol, is
// package mamba's):
//
//	x, X0, Trajectory.X  x_l(t)    token l at depth/time t; arrays (L, D)
//	System.SB, SC        S_B, S_C  (N, D) input/output projections
//	System.SDelta        S_Δ       (D, D) step projection
//	System.Bias          b         optional step bias (absent in the theory)
//	Delta                Δ         softplus(S_Δ x + b), elementwise
//	System.A             A_d       (D, N) diagonal, negative state matrices
//	Scalar.A             a         1-D case A = -a·I_N, a > 0
//	System.Mu, Scalar.Mu μ         S_Cᵀ S_B, the input/output projection
//	                               matrix (a scalar when D = 1)
//	System.Kernel        φ_d(s)    S_Cᵀ e^{s A_d} S_B (φ_d(0) = μ)
//	P (see Field)        P_lj      hidden attention, P^d_lj =
//	                               x_lᵀ S_Cᵀ e^{A_d Σ_{k=j+1..l} Δ_{k,d}} S_B x_j Δ_{j,d}
//	Field, Scalar.Eval   dx_l/dt = Σ_{j≤l} P_lj x_j, computed by the scan
//	                               h_l = e^{Δ_l A} h_{l-1} + Δ_l B_l x_l, ẋ_l = C_lᵀ h_l
//	T*, Bounds           T*        finite blow-up time (fast divergence)
//	Scenario                       Table 1 row: convergent (μ < 0),
//	                               slow-divergent (μ > 0, S_Δ x_l(0) < 0 ∀l),
//	                               fast-divergent (μ > 0, ∃l S_Δ x_l(0) > 0),
//	                               degenerate (μ = 0, x ≡ 0, or S_Δ = 0 < μ)
//
// What is proven and what is not. Only D = 1 is proven (Theorems A–C,
// docs/paper.md §3; the hypotheses are reconstructed, the constants derived here
// and checked numerically): Classify, SqrtTLimit, SqrtTBound,
// TokenBlowUpTime, Bounds and SlowOffset implement them. SqrtTLimits for
// tokens l ≥ 2 and the per-token blow-up analysis of Sweep are derivations
// of this package, verified by simulation, not statements of the paper.
// For D ≥ 2 nothing is proven: Spectrum's classifier and Agreement are an
// empirical report (docs/paper.md §4, Fig. 6).
//
// Numerics. Simulations use pkg/ode's Dormand–Prince 5(4) in log time
// τ = ln(1 + t), so t = 1e8 costs a few hundred steps; a blow-up is a
// result (a step-size collapse, with T* extrapolated from x/ẋ). The 1-D
// right-hand side has a specialised allocation-free recurrence
// (Scalar.Eval) cross-checked against the general S6 scan (Field, via
// mamba.ScanInto) and against an explicit-P implementation in the tests.
package theory
