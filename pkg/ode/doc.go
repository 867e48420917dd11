// Package ode integrates the continuous-time token dynamics of the paper
// (docs/paper.md §2) and any other system x' = f(t, x) with
// the adaptive Dormand–Prince 5(4) method.
//
// What it provides:
//
//   - Solve / Solver.Solve: explicit Problem (F, T0, T1, X0) and Options
//     (RTol, ATol, step limits, MaxSteps, BlowUpNorm, Events, Dense,
//     LogTime, OnStep) and a Result (Status, final state, events, dense
//     samples, the last accepted points, counters). No package-level
//     state; a Solver reuses its buffers between solves.
//   - Step control as in Hairer's dopri5: RMS error norm with ATol + RTol·|x|,
//     safety 0.9, step ratio clamped to [0.2, 10], PI stabilization 0.04,
//     FSAL, Hairer's initial step.
//   - Dense output: the 4th-order continuous extension of Dormand–Prince,
//     used for Options.Dense and for event location (Illinois method).
//   - Blow-up as a result: when max|x_i| exceeds BlowUpNorm, or the step
//     size collapses below 10·ε·|t| (also after non-finite trial states),
//     Solve stops at the last accepted, finite state with Status BlowUp and
//     estimates the blow-up time T* (ExtrapolateBlowUp: zero of r = x/x',
//     which is linear in t for |x| ~ C (T*-t)^-β), its error and β.
//   - Long horizons: LogTime (and Options.LogTime) integrates in
//     τ = ln(1 + t - T0), so the slowly varying solutions of the token
//     dynamics (x ~ t^-½, x ~ ln t) reach t = 1e8 in O(ln t) steps.
//
// Glossary (docs/paper.md §2–§3):
//
//	x, X0     the state: the L tokens x_l(t) flattened, (L·D)
//	t         depth of the deep S6 network seen as continuous time
//	F         dx_l/dt = Σ_{j≤l} P_lj(t) x_j(t)  (built in pkg/theory)
//	T*        finite blow-up time (fast divergence, Theorem C)
//	τ         log time ln(1 + t), the variable of LogTime
//	β         local blow-up exponent, |x| ~ (T*-t)^-β (β = 1/3 when
//	          x' ≈ μ S_Δ x⁴, β = 1/2 when x' = μ ln2 x³)
package ode
