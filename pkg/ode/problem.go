package ode

import (
	"errors"
	"fmt"
	"math"
)

// Func is the right-hand side of x' = f(t, x). It must write f(t, x) into
// dxdt; x and dxdt have the state size n and must not be retained. A Func may
// return non-finite values (that is how a blow-up shows up); the solver then
// rejects the step and shrinks it.
type Func func(t float64, x, dxdt []float64)

// Problem is an initial value problem x' = F(t, x), x(T0) = X0, to be solved
// on [T0, T1].
//
//	X0  (n)  initial state, finite
type Problem struct {
	F      Func
	T0, T1 float64
	X0     []float64
}

// Event is a scalar function of the solution whose sign changes are located
// on the dense output (Illinois method).
//
// Direction selects the crossings: 0 any, +1 only where G goes from negative
// to positive, -1 only where it goes from positive to negative. A Terminal
// event stops the integration at the crossing.
type Event struct {
	G         func(t float64, x []float64) float64
	Direction int
	Terminal  bool
}

// Options controls the Dormand–Prince 5(4) integration. A nil *Options means
// DefaultOptions(). Zero values of the optional fields select their
// defaults; RTol must be positive and ATol non-negative.
type Options struct {
	// RTol and ATol are the relative and absolute tolerances of the
	// Hairer-style error norm sqrt(mean((err_i/(ATol+RTol·max|x_i|))²)) ≤ 1.
	RTol, ATol float64
	// H0 is the first step size (0: Hairer's automatic choice) and HMax the
	// largest step (0: |T1-T0|), both in the integration variable (τ when
	// LogTime is set).
	H0, HMax float64
	// MaxSteps bounds the number of attempted steps (0: 100000).
	MaxSteps int
	// StiffCheck is Hairer's stiffness test: from every StiffCheck-th
	// accepted step on, h·|λ| is estimated by h‖k7-k6‖/‖x_new-x6‖; 15
	// estimates above 3.25 (without 6 in a row below) stop the solver with
	// Status Stiff, since an explicit method then crawls at its stability
	// limit (0: 1000; negative: never).
	StiffCheck int
	// Safety, FacMin and FacMax shape the step-size update
	// h_new = h·clamp(Safety·err^-0.17·err_prev^0.04, FacMin, FacMax)
	// (0: 0.9, 0.2 and 10; see Solver.Solve).
	Safety, FacMin, FacMax float64
	// BlowUpNorm stops the integration with Status BlowUp as soon as an
	// accepted state has max_i |x_i| > BlowUpNorm (0: no threshold; the
	// step-size collapse still detects a blow-up).
	BlowUpNorm float64
	// Events are located on the dense output after every accepted step.
	Events []Event
	// Dense lists output times, ascending, within [T0, T1]: the solution is
	// reported there through the 4th-order continuous extension.
	Dense []float64
	// LogTime integrates in τ = ln(1 + t - T0) instead of t (see LogTime):
	// for solutions that vary on the scale of t itself (x ~ t^-½, x ~ ln t)
	// the number of steps to reach T1 grows like ln T1. All inputs and
	// outputs (events, Dense, results) stay in t.
	LogTime bool
	// OnStep, when set, is called after every accepted step with the time,
	// the state and its derivative dx/dt (length n; do not retain them).
	OnStep func(t float64, x, dxdt []float64)
}

// DefaultOptions returns RTol = 1e-8, ATol = 1e-10 and defaults elsewhere.
func DefaultOptions() *Options { return &Options{RTol: 1e-8, ATol: 1e-10} }

// Status says why the integration stopped.
type Status int

const (
	// Completed: the solution reached T1.
	Completed Status = iota
	// BlowUp: |x| passed Options.BlowUpNorm or the step size collapsed
	// (finite-time blow-up); Result.BlowUpTime estimates the blow-up time.
	BlowUp
	// EventStop: a terminal event was located.
	EventStop
	// MaxStepsReached: Options.MaxSteps steps were attempted before T1.
	MaxStepsReached
	// Stiff: the stiffness test fired (see Options.StiffCheck).
	Stiff
)

func (s Status) String() string {
	switch s {
	case Completed:
		return "completed"
	case BlowUp:
		return "blow-up"
	case EventStop:
		return "event"
	case MaxStepsReached:
		return "max-steps"
	case Stiff:
		return "stiff"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ErrMaxSteps is returned (wrapped, with a non-nil partial Result) when
// Options.MaxSteps is exhausted before T1.
var ErrMaxSteps = errors.New("ode: maximum number of steps reached")

// ErrStiff is returned (wrapped, with a non-nil partial Result) when the
// stiffness test fires before T1.
var ErrStiff = errors.New("ode: the problem became stiff")

// EventHit is one located event: which event, when, and the state there.
//
//	X  (n)
type EventHit struct {
	Index int
	T     float64
	X     []float64
}

// Point is an accepted step of the solver: time, the step size that led to
// it (in t), the state and its derivative dx/dt.
//
//	X, DXDT  (n)
type Point struct {
	T, H    float64
	X, DXDT []float64
}

// Result of an integration. X is always finite: after a blow-up it is the
// last accepted state, never Inf or NaN.
//
//	X       (n)                    state at T
//	DenseX  (len(DenseT), n)       row-major, for the Dense times reached
//	Last    up to 3 accepted points, oldest first (for blow-up analysis)
type Result struct {
	Status Status
	T      float64
	X      []float64

	// Blow-up (Status == BlowUp): the estimated blow-up time (see
	// ExtrapolateBlowUp), an estimate of its error (extrapolation error +
	// 10·RTol·(T*-T0) for the integration error; +Inf when only T* ≥ T is
	// known), the local exponent β of |x_i| ~ (T*-t)^-β of the largest
	// component (NaN when unknown), and why the blow-up was declared
	// ("threshold", "step size collapse", "non-finite state", "initial
	// state").
	BlowUpTime, BlowUpErr, BlowUpExponent float64
	BlowUpReason                          string

	Events []EventHit

	DenseT []float64
	DenseX []float64

	Last []Point

	// Steps counts accepted steps, Rejected the rejected ones, Evals the
	// calls of F.
	Steps, Rejected, Evals int
}

// resolved holds Options with defaults filled in.
type resolved struct {
	Options
}

func resolve(o *Options, span float64) (resolved, error) {
	if o == nil {
		o = DefaultOptions()
	}
	r := resolved{*o}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
	switch {
	case math.IsNaN(r.RTol) || math.IsInf(r.RTol, 0) || r.RTol <= 0:
		return r, fmt.Errorf("ode: RTol = %v, want a finite positive number", r.RTol)
	case bad(r.ATol):
		return r, fmt.Errorf("ode: ATol = %v, want a finite non-negative number", r.ATol)
	case bad(r.H0):
		return r, fmt.Errorf("ode: H0 = %v, want a finite non-negative number", r.H0)
	case bad(r.HMax):
		return r, fmt.Errorf("ode: HMax = %v, want a finite non-negative number", r.HMax)
	case r.MaxSteps < 0:
		return r, fmt.Errorf("ode: MaxSteps = %d, want >= 0", r.MaxSteps)
	case bad(r.Safety) || r.Safety >= 1:
		return r, fmt.Errorf("ode: Safety = %v, want in [0, 1)", r.Safety)
	case bad(r.FacMin) || r.FacMin >= 1:
		return r, fmt.Errorf("ode: FacMin = %v, want in [0, 1)", r.FacMin)
	case bad(r.FacMax) || (r.FacMax != 0 && r.FacMax <= 1):
		return r, fmt.Errorf("ode: FacMax = %v, want 0 or > 1", r.FacMax)
	case math.IsNaN(r.BlowUpNorm) || r.BlowUpNorm < 0:
		return r, fmt.Errorf("ode: BlowUpNorm = %v, want >= 0", r.BlowUpNorm)
	}
	if r.RTol < 1e-15 {
		return r, fmt.Errorf("ode: RTol = %v is below the float64 resolution, want >= 1e-15", r.RTol)
	}
	if r.MaxSteps == 0 {
		r.MaxSteps = 100000
	}
	if r.StiffCheck == 0 {
		r.StiffCheck = 1000
	}
	if r.Safety == 0 {
		r.Safety = 0.9
	}
	if r.FacMin == 0 {
		r.FacMin = 0.2
	}
	if r.FacMax == 0 {
		r.FacMax = 10
	}
	if r.HMax == 0 {
		r.HMax = span
	}
	if r.BlowUpNorm == 0 {
		r.BlowUpNorm = math.Inf(1)
	}
	for i, e := range r.Events {
		if e.G == nil {
			return r, fmt.Errorf("ode: event %d has a nil function", i)
		}
		if e.Direction < -1 || e.Direction > 1 {
			return r, fmt.Errorf("ode: event %d has Direction %d, want -1, 0 or +1", i, e.Direction)
		}
	}
	return r, nil
}

func validateProblem(p *Problem) error {
	if p.F == nil {
		return fmt.Errorf("ode: nil right-hand side F")
	}
	if len(p.X0) == 0 {
		return fmt.Errorf("ode: empty initial state X0")
	}
	for i, v := range p.X0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ode: initial state X0[%d] = %v, want a finite number", i, v)
		}
	}
	if math.IsNaN(p.T0) || math.IsInf(p.T0, 0) || math.IsNaN(p.T1) || math.IsInf(p.T1, 0) {
		return fmt.Errorf("ode: time span [%v, %v] is not finite", p.T0, p.T1)
	}
	if p.T1 < p.T0 {
		return fmt.Errorf("ode: T1 = %v < T0 = %v, integration runs forward only", p.T1, p.T0)
	}
	return nil
}

func validateDense(ts []float64, t0, t1 float64) error {
	for i, t := range ts {
		if math.IsNaN(t) || t < t0 || t > t1 {
			return fmt.Errorf("ode: Dense[%d] = %v is outside [%v, %v]", i, t, t0, t1)
		}
		if i > 0 && t < ts[i-1] {
			return fmt.Errorf("ode: Dense times must be ascending, Dense[%d] = %v < Dense[%d] = %v", i, t, i-1, ts[i-1])
		}
	}
	return nil
}
