package ode

import (
	"fmt"
	"math"
)

// Solver integrates initial value problems with the adaptive Dormand–Prince
// 5(4) method. Its zero value is ready to use; it keeps its work buffers
// between calls of Solve, so reusing one Solver for many problems of the
// same size allocates only the Result. A Solver must not be used by two
// goroutines at once.
type Solver struct {
	st   stepper
	y    []float64
	xe   []float64 // scratch state for events
	dx   []float64 // dx/dt in user time for OnStep
	hist history
	gOld []float64
	gNew []float64
}

// Solve integrates p with a new Solver; see Solver.Solve.
func Solve(p Problem, o *Options) (*Result, error) {
	var s Solver
	return s.Solve(p, o)
}

// Step-size control constants of Hairer's dopri5: the PI (Lund)
// stabilization β and the exponent 1/5 - 0.75β of the error.
const (
	piBeta = 0.04
	expo1  = 0.2 - piBeta*0.75
)

// Solve integrates x' = F(t, x) from T0 towards T1 and returns the result.
//
// Errors are reserved for bad input (nil F, empty or non-finite X0,
// T1 < T0, invalid options, F not finite at the initial point). A
// finite-time blow-up is a result (Status BlowUp) and so is a terminal
// event. If MaxSteps is exhausted, Solve returns the partial result together
// with an error wrapping ErrMaxSteps.
//
// Step control (Hairer, Nørsett & Wanner, §II.4): err is the RMS of the
// embedded error scaled by ATol + RTol·max(|x|, |x_new|). A step is
// accepted when err ≤ 1, and the next one is
//
//	h_new = h · clamp(Safety · err^-0.17 · err_prev^0.04, FacMin, FacMax)
//
// (PI control with β = 0.04, never growing right after a rejection); a
// rejected step is retried with h·max(FacMin, Safety·err^-0.17). A step that
// produces non-finite values is rejected and retried with h·FacMin. The
// step size collapsing below 10·ε·|t| is reported as a blow-up at the last
// accepted state; Hairer's stiffness test may stop the solver (Status
// Stiff, see Options.StiffCheck).
func (sv *Solver) Solve(p Problem, o *Options) (*Result, error) {
	r, err := sv.begin(p, o)
	if err != nil || r.done {
		return r.result(), err
	}
	opt, st, y := &r.opt, &sv.st, sv.y
	s, s1 := r.s0, r.s1
	h := opt.H0
	if h == 0 {
		h = sv.initialStep(r.f, s, y, *opt, &r.res.Evals)
	}
	h = math.Min(h, opt.HMax)
	facold := 1e-4
	reject, nonFinite := false, false
	attempts := 0
	for {
		if attempts >= opt.MaxSteps {
			r.finish(MaxStepsReached, r.c.toT(s))
			return r.res, fmt.Errorf("%w: %d steps attempted, stopped at t = %v before T1 = %v", ErrMaxSteps, attempts, r.res.T, p.T1)
		}
		last := false
		if s+1.01*h >= s1 {
			h, last = s1-s, true
		}
		hmin := 10 * eps * math.Max(math.Abs(s), 1e-300)
		if h <= hmin {
			if last {
				return r.finish(Completed, p.T1), nil
			}
			reason := "step size collapse"
			if nonFinite {
				reason = "non-finite state"
			}
			sv.blowUp(r.res, r.c, s, h, opt.RTol, reason)
			return r.finish(BlowUp, r.c.toT(s)), nil
		}
		attempts++
		e := st.step(r.f, s, h, y, opt.RTol, opt.ATol)
		r.res.Evals += 6
		fac11 := math.Pow(e, expo1)
		if e > 1 { // rejected
			nonFinite = math.IsInf(e, 1)
			h /= math.Min(1/opt.FacMin, fac11/opt.Safety)
			reject = true
			r.res.Rejected++
			continue
		}
		nonFinite = false
		fac := fac11 / math.Pow(facold, piBeta)
		fac = math.Max(1/opt.FacMax, math.Min(1/opt.FacMin, fac/opt.Safety))
		hnew := h / fac
		facold = math.Max(e, 1e-4)
		r.res.Steps++
		if r.stiff(h) {
			r.res.Steps-- // this step is not applied
			r.finish(Stiff, r.c.toT(s))
			return r.res, fmt.Errorf("%w at t = %v (h·|λ| > 3.25 for 15 steps), stopped before T1 = %v", ErrStiff, r.res.T, p.T1)
		}
		sNew := s + h
		if last {
			sNew = s1
		}
		if stopped := r.advance(s, h, sNew, last); stopped != nil {
			return stopped, nil
		}
		s = sNew
		if maxAbs(y) > opt.BlowUpNorm {
			sv.blowUp(r.res, r.c, s, hnew, opt.RTol, "threshold")
			return r.finish(BlowUp, r.c.toT(s)), nil
		}
		if last {
			return r.finish(Completed, p.T1), nil
		}
		if reject {
			hnew = math.Min(hnew, h)
		}
		reject = false
		h = math.Min(hnew, opt.HMax)
	}
}

// run is the state of one Solve call besides the Solver's buffers: the
// problem, its clock and options, the result being filled and the dense
// outputs still to come.
type run struct {
	sv     *Solver
	p      Problem
	c      clock
	opt    resolved
	f      Func // F in the solver's time s (log time or not)
	s0, s1 float64
	res    *Result
	sDense []float64 // the dense output times in solver time
	di     int       // the next dense output to emit
	done   bool      // begin finished the result already (blow-up at T0, T1 = T0)
	// The stiffness test's counters (Options.StiffCheck).
	stiffHits, nonStiff int
}

// begin validates p and o, sets the solver up at T0 (F evaluated, the dense
// outputs at T0 emitted, the events' signs and the history started) and
// returns the run; done is set when the result is complete at T0.
func (sv *Solver) begin(p Problem, o *Options) (*run, error) {
	if err := validateProblem(&p); err != nil {
		return nil, err
	}
	r := &run{sv: sv, p: p, c: clock{log: o != nil && o.LogTime, t0: p.T0}}
	r.s0, r.s1 = r.c.toS(p.T0), r.c.toS(p.T1)
	var err error
	if r.opt, err = resolve(o, r.s1-r.s0); err != nil {
		return nil, err
	}
	if err := validateDense(r.opt.Dense, p.T0, p.T1); err != nil {
		return nil, err
	}
	r.f = p.F
	if r.c.log {
		r.f = LogTime(p.F, p.T0)
	}
	n := len(p.X0)
	sv.resize(n, len(r.opt.Events))
	y, st := sv.y, &sv.st
	copy(y, p.X0)

	r.res = &Result{}
	r.sDense = make([]float64, len(r.opt.Dense))
	for i, t := range r.opt.Dense {
		r.sDense[i] = r.c.toS(t)
	}
	r.res.DenseT = make([]float64, 0, len(r.opt.Dense))
	r.res.DenseX = make([]float64, 0, len(r.opt.Dense)*n)

	r.f(r.s0, y, st.k[0])
	r.res.Evals = 1
	if !finite(st.k[0]) {
		return nil, fmt.Errorf("ode: F(T0, X0) is not finite at T0 = %v", p.T0)
	}
	for r.di < len(r.sDense) && r.opt.Dense[r.di] == p.T0 {
		r.emitDense(r.di, y)
		r.di++
	}
	for i, ev := range r.opt.Events {
		sv.gOld[i] = ev.G(p.T0, y)
	}
	sv.hist.reset(n)
	sv.hist.push(r.s0, 0, y, st.k[0])
	if maxAbs(y) > r.opt.BlowUpNorm {
		r.res.BlowUpTime, r.res.BlowUpReason = p.T0, "initial state"
		r.finish(BlowUp, p.T0)
		r.done = true
	} else if r.s1 == r.s0 {
		r.finish(Completed, p.T1)
		r.done = true
	}
	return r, nil
}

// result is the run's result, nil for a run that never began.
func (r *run) result() *Result {
	if r == nil {
		return nil
	}
	return r.res
}

// emitDense appends the dense output i with state x.
func (r *run) emitDense(i int, x []float64) {
	r.res.DenseT = append(r.res.DenseT, r.opt.Dense[i])
	r.res.DenseX = append(r.res.DenseX, x...)
}

// finish completes the result with a status at user time tUser and the
// current state.
func (r *run) finish(status Status, tUser float64) *Result {
	r.res.Status = status
	r.res.T = tUser
	r.res.X = append([]float64(nil), r.sv.y...)
	r.res.Last = r.sv.lastPoints(r.c)
	return r.res
}

// stiff runs Hairer's stiffness test on the accepted step of size h (every
// StiffCheck steps, then on every step while it fires) and reports whether
// it fired 15 times in a row; 6 calm steps in a row reset it.
func (r *run) stiff(h float64) bool {
	if r.opt.StiffCheck <= 0 || (r.res.Steps%r.opt.StiffCheck != 0 && r.stiffHits == 0) {
		return false
	}
	if r.sv.st.stiffness(h) > 3.25 {
		r.nonStiff = 0
		r.stiffHits++
		return r.stiffHits == 15
	}
	if r.nonStiff++; r.nonStiff == 6 {
		r.stiffHits = 0
	}
	return false
}

// advance applies the accepted step [s, s+h] (ending at sNew): it locates
// the events in it, emits the dense outputs it covers up to the first
// terminal event, and either stops there (returning the finished result)
// or moves the state, the history and OnStep to sNew (returning nil).
func (r *run) advance(s, h, sNew float64, last bool) *Result {
	sv, st, y, opt := r.sv, &r.sv.st, r.sv.y, &r.opt
	st.prepareDense(h, y)
	term := -1
	if len(opt.Events) > 0 {
		term = sv.locateEvents(r.res, opt.Events, r.c, s, h, st.ynew, sv.gOld, sv.gNew)
		sv.gOld, sv.gNew = sv.gNew, sv.gOld
	}
	sStop := sNew
	if term >= 0 {
		sStop = r.c.toS(r.res.Events[term].T)
	}
	for r.di < len(r.sDense) && r.sDense[r.di] <= sStop {
		if last && r.di < len(r.sDense) && opt.Dense[r.di] == r.p.T1 {
			r.emitDense(r.di, st.ynew)
		} else {
			st.dense(math.Min(1, math.Max(0, (r.sDense[r.di]-s)/h)), sv.xe)
			r.emitDense(r.di, sv.xe)
		}
		r.di++
	}
	if term >= 0 {
		copy(y, r.res.Events[term].X)
		return r.finish(EventStop, r.res.Events[term].T)
	}
	copy(y, st.ynew)
	st.k[0], st.k[6] = st.k[6], st.k[0]
	sv.hist.push(sNew, h, y, st.k[0])
	if opt.OnStep != nil {
		scale := 1 / r.c.dtds(sNew)
		for i, v := range st.k[0] {
			sv.dx[i] = v * scale
		}
		opt.OnStep(r.c.toT(sNew), y, sv.dx)
	}
	return nil
}

func (sv *Solver) resize(n, nev int) {
	sv.st.resize(n)
	grow := func(v []float64, n int) []float64 {
		if cap(v) >= n {
			return v[:n]
		}
		return make([]float64, n)
	}
	sv.y = grow(sv.y, n)
	sv.xe = grow(sv.xe, n)
	sv.dx = grow(sv.dx, n)
	sv.gOld = grow(sv.gOld, nev)
	sv.gNew = grow(sv.gNew, nev)
}

// blowUp fills the blow-up fields of res from the history, in user time.
// hTry is the step the solver would have tried next: without a usable
// extrapolation the blow-up is bracketed by [s, s + hTry].
func (sv *Solver) blowUp(res *Result, c clock, s, hTry, rtol float64, reason string) {
	res.BlowUpReason = reason
	ts, es, beta, ok := sv.hist.estimate()
	if !ok || ts < s {
		ts, es, beta = s+hTry, hTry, math.NaN()
		if reason == "threshold" {
			ts, es = s, math.Inf(1)
		}
	}
	res.BlowUpTime = c.toT(ts)
	// The extrapolation error plus 10·RTol·(T* - T0), a proxy for the global
	// integration error that shifts the whole trajectory in time.
	res.BlowUpErr = es*c.dtds(ts) + 10*rtol*math.Abs(res.BlowUpTime-c.t0)
	res.BlowUpExponent = beta
}

// lastPoints converts the history to user time.
func (sv *Solver) lastPoints(c clock) []Point {
	hs := &sv.hist
	pts := make([]Point, hs.n)
	for k := 0; k < hs.n; k++ {
		scale := 1 / c.dtds(hs.t[k])
		dx := make([]float64, len(hs.dxdt[k]))
		for i, v := range hs.dxdt[k] {
			dx[i] = v * scale
		}
		pts[k] = Point{
			T:    c.toT(hs.t[k]),
			H:    c.span(hs.t[k], hs.h[k]),
			X:    append([]float64(nil), hs.x[k]...),
			DXDT: dx,
		}
	}
	return pts
}

// initialStep is Hairer's HINIT: a step whose explicit Euler error is about
// 0.01 in the scaled norm, corrected with a second derivative estimate.
func (sv *Solver) initialStep(f Func, s float64, y []float64, opt resolved, evals *int) float64 {
	k0, k1, tmp := sv.st.k[0], sv.st.k[1], sv.st.tmp
	var dnf, dny float64
	for i := range y {
		sk := opt.ATol + opt.RTol*math.Abs(y[i])
		dnf += (k0[i] / sk) * (k0[i] / sk)
		dny += (y[i] / sk) * (y[i] / sk)
	}
	h := 1e-6
	if dnf > 1e-10 && dny > 1e-10 {
		h = 0.01 * math.Sqrt(dny/dnf)
	}
	h = math.Min(h, opt.HMax)
	for i := range y {
		tmp[i] = y[i] + h*k0[i]
	}
	f(s+h, tmp, k1)
	*evals++
	var der2 float64
	for i := range y {
		sk := opt.ATol + opt.RTol*math.Abs(y[i])
		d := (k1[i] - k0[i]) / sk
		der2 += d * d
	}
	der2 = math.Sqrt(der2) / h
	der12 := math.Max(der2, math.Sqrt(dnf))
	var h1 float64
	switch {
	case math.IsNaN(der12) || math.IsInf(der12, 0):
		h1 = h * 1e-3
	case der12 <= 1e-15:
		h1 = math.Max(1e-6, h*1e-3)
	default:
		h1 = math.Pow(0.01/der12, 0.2)
	}
	h = math.Min(100*h, math.Min(h1, opt.HMax))
	if !(h > 0) {
		h = 1e-6 * opt.HMax
	}
	return h
}
