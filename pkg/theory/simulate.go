package theory

import (
	"errors"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/ode"
)

// SimOptions controls a simulation of the token dynamics. A nil *SimOptions
// means the defaults; zero fields take their defaults.
type SimOptions struct {
	// RTol, ATol: tolerances of the Dormand–Prince integrator
	// (default 1e-9 and 1e-12).
	RTol, ATol float64
	// BlowUpNorm: a blow-up is declared when max_l |x_l| exceeds it, or
	// when the step size collapses. The default, 1e100·max(1, max|x(0)|),
	// leaves the detection to the step-size collapse in practice: in slow
	// divergence the later tokens can become astronomically large without
	// blowing up (x_l/x_1 tends to a constant that can exceed 1e6 when
	// |S_Δ| is small), so any moderate threshold would misreport them.
	BlowUpNorm float64
	// Sample times: t = 0, then SamplesPerDecade log-spaced times per
	// decade from TMin to T (T included). Defaults 20 and min(1e-3, T/10).
	// Times, when non-nil, replaces this grid (ascending, within [0, T]).
	SamplesPerDecade int
	TMin             float64
	Times            []float64
	// Linear integrates in t instead of the default log time
	// τ = ln(1 + t) (see ode.LogTime).
	Linear bool
	// OnStep is called after every accepted step (see ode.Options.OnStep).
	OnStep func(t float64, x, dxdt []float64)
	// MaxSteps bounds the solver (default 200000).
	MaxSteps int
}

// Trajectory is a simulated solution of the token dynamics.
//
//	T     (S)        sample times, ascending; only those reached
//	X     (S, L, D)  tokens at the sample times, row-major
//	XEnd  (L, D)     tokens at End (finite even after a blow-up)
type Trajectory struct {
	L, D int
	T    []float64
	X    []float64
	// End is the horizon T, or the last accepted time before a blow-up or
	// an early stop.
	End  float64
	XEnd []float64
	// Status is ode.Completed (End = T), ode.BlowUp, or an early stop of
	// the explicit solver: ode.Stiff (the stiffness test fired: in D ≥ 2
	// a token can be damped at a rate that explodes while an earlier token
	// grows) or ode.MaxStepsReached. The trajectory up to End is valid in
	// every case.
	Status ode.Status
	// BlowUp reports a finite-time blow-up before the horizon, with the
	// estimated time, its error estimate, the local exponent β of the
	// largest token (|x| ~ (T*-t)^-β) and the solver's reason.
	BlowUp                                bool
	BlowUpTime, BlowUpErr, BlowUpExponent float64
	BlowUpReason                          string
	// Last holds the last accepted solver points (see ode.Result.Last):
	// per-token blow-up analysis uses them with ode.ExtrapolateBlowUp.
	Last []ode.Point
	// Steps and Evals count accepted steps and right-hand-side evaluations.
	Steps, Evals int
}

// At returns x_{l,d} at sample s.
func (tr *Trajectory) At(s, l, d int) float64 { return tr.X[(s*tr.L+l)*tr.D+d] }

// Token returns the time series of x_{l,d}, (S).
func (tr *Trajectory) Token(l, d int) []float64 {
	out := make([]float64, len(tr.T))
	for s := range tr.T {
		out[s] = tr.At(s, l, d)
	}
	return out
}

// LogGrid returns 0 followed by perDecade log-spaced times per decade from
// tmin to t1, t1 included.
func LogGrid(tmin, t1 float64, perDecade int) []float64 {
	out := []float64{0}
	if !(tmin > 0) || !(t1 > tmin) || perDecade < 1 {
		if t1 > 0 {
			out = append(out, t1)
		}
		return out
	}
	n := int(math.Ceil(math.Log10(t1/tmin) * float64(perDecade)))
	for k := 0; k < n; k++ {
		out = append(out, tmin*math.Pow(10, float64(k)/float64(perDecade)))
	}
	return append(out, t1)
}

// simulator integrates one right-hand side; it keeps an ode.Solver to
// reuse its buffers (one per goroutine).
type simulator struct {
	solver ode.Solver
}

func (sm *simulator) run(f ode.Func, x0 []float64, L, D int, t1 float64, o *SimOptions, defaultNorm float64) (*Trajectory, error) {
	if math.IsNaN(t1) || math.IsInf(t1, 0) || !(t1 > 0) {
		return nil, fmt.Errorf("theory: horizon T = %v, want a finite positive time", t1)
	}
	var opt SimOptions
	if o != nil {
		opt = *o
	}
	if opt.RTol == 0 {
		opt.RTol = 1e-9
	}
	if opt.ATol == 0 {
		opt.ATol = 1e-12
	}
	if opt.BlowUpNorm == 0 {
		opt.BlowUpNorm = defaultNorm
	}
	if opt.MaxSteps == 0 {
		opt.MaxSteps = 200000
	}
	times := opt.Times
	if times == nil {
		spd := opt.SamplesPerDecade
		if spd == 0 {
			spd = 20
		}
		tmin := opt.TMin
		if tmin == 0 {
			tmin = math.Min(1e-3, t1/10)
		}
		times = LogGrid(tmin, t1, spd)
	}
	res, err := sm.solver.Solve(ode.Problem{F: f, T0: 0, T1: t1, X0: x0}, &ode.Options{
		RTol: opt.RTol, ATol: opt.ATol, BlowUpNorm: opt.BlowUpNorm, MaxSteps: opt.MaxSteps,
		Dense: times, LogTime: !opt.Linear, OnStep: opt.OnStep,
	})
	if err != nil && !errors.Is(err, ode.ErrMaxSteps) && !errors.Is(err, ode.ErrStiff) {
		return nil, fmt.Errorf("theory: simulate: %w", err)
	}
	tr := &Trajectory{
		L: L, D: D, T: res.DenseT, X: res.DenseX, End: res.T, XEnd: res.X,
		Status: res.Status, Last: res.Last, Steps: res.Steps, Evals: res.Evals,
	}
	if res.Status == ode.BlowUp {
		tr.BlowUp = true
		tr.BlowUpTime, tr.BlowUpErr, tr.BlowUpExponent = res.BlowUpTime, res.BlowUpErr, res.BlowUpExponent
		tr.BlowUpReason = res.BlowUpReason
	}
	return tr, nil
}

// Simulate integrates the 1-D dynamics of s from the tokens x0 (L) up to
// time T or a blow-up, with the scalar recurrence (Scalar.Eval) in log time.
// Samples are taken on a log grid (SimOptions).
func (s Scalar) Simulate(x0 []float64, T float64, o *SimOptions) (*Trajectory, error) {
	var sm simulator
	return sm.scalar(s, x0, T, o)
}

func (sm *simulator) scalar(s Scalar, x0 []float64, T float64, o *SimOptions) (*Trajectory, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if len(x0) == 0 {
		return nil, fmt.Errorf("theory: no initial tokens (x0 is empty)")
	}
	for l, v := range x0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("theory: x0[%d] = %v is not finite", l, v)
		}
	}
	return sm.run(s.Func(), x0, len(x0), 1, T, o, 1e100*math.Max(1, maxAbs(x0)))
}

// Simulate integrates the dynamics of s from the tokens x0 (L, D) up to
// time T or a blow-up, with the S6-scan right-hand side (Field) in log time.
func (s *System) Simulate(x0 []float64, T float64, o *SimOptions) (*Trajectory, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	L, err := s.checkTokens("x0", x0)
	if err != nil {
		return nil, err
	}
	f, err := s.NewField(L)
	if err != nil {
		return nil, err
	}
	var sm simulator
	return sm.run(f.Func(), x0, L, s.D, T, o, 1e100*math.Max(1, maxAbs(x0)))
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
