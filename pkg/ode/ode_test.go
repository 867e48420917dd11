package ode_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/tokendyn/tokendyn/pkg/ode"
)

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// x' = M x against the matrix exponential x(t) = exp(tM) x0.
func TestLinearSystemMatchesMatrixExponential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i, test := range []struct {
		n    int
		t1   float64
		rtol float64
		tol  float64
	}{
		{n: 2, t1: 1, rtol: 1e-10, tol: 1e-8},
		{n: 4, t1: 3, rtol: 1e-10, tol: 1e-8},
		{n: 6, t1: 2, rtol: 1e-12, tol: 1e-10},
	} {
		m := mat.NewDense(test.n, test.n, nil)
		for r := 0; r < test.n; r++ {
			for c := 0; c < test.n; c++ {
				m.Set(r, c, rng.NormFloat64()/math.Sqrt(float64(test.n)))
			}
			m.Set(r, r, m.At(r, r)-0.3)
		}
		x0 := make([]float64, test.n)
		for j := range x0 {
			x0[j] = rng.NormFloat64()
		}
		f := func(_ float64, x, dx []float64) {
			mat.NewVecDense(test.n, dx).MulVec(m, mat.NewVecDense(test.n, x))
		}
		res, err := ode.Solve(ode.Problem{F: f, T0: 0, T1: test.t1, X0: x0}, &ode.Options{RTol: test.rtol, ATol: test.rtol})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var e mat.Dense
		var tm mat.Dense
		tm.Scale(test.t1, m)
		e.Exp(&tm)
		var want mat.VecDense
		want.MulVec(&e, mat.NewVecDense(test.n, x0))
		scale := mat.Norm(&want, math.Inf(1))
		for j := 0; j < test.n; j++ {
			if d := math.Abs(res.X[j] - want.AtVec(j)); d > test.tol*scale {
				t.Errorf("case %d: x[%d] = %.15g, exp(tM)x0 gives %.15g (diff %.2g)", i, j, res.X[j], want.AtVec(j), d)
			}
		}
		if res.Status != ode.Completed || res.T != test.t1 {
			t.Errorf("case %d: status %v at t = %v", i, res.Status, res.T)
		}
	}
}

func TestLogisticAndDenseOutput(t *testing.T) {
	const r, k, x0, t1 = 1.3, 5.0, 0.1, 12.0
	exact := func(t float64) float64 { return k / (1 + (k/x0-1)*math.Exp(-r*t)) }
	dense := []float64{0, 0.37, 1, 2.5, 4, 4.01, 7.7, 11.9, 12}
	res, err := ode.Solve(ode.Problem{
		F:  func(_ float64, x, dx []float64) { dx[0] = r * x[0] * (1 - x[0]/k) },
		T1: t1, X0: []float64{x0},
	}, &ode.Options{RTol: 1e-10, ATol: 1e-12, Dense: dense})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.DenseT) != len(dense) {
		t.Fatalf("%d dense outputs, want %d", len(res.DenseT), len(dense))
	}
	for i, tt := range res.DenseT {
		if e := relErr(res.DenseX[i], exact(tt)); e > 1e-8 {
			t.Errorf("dense x(%v) = %.12g, exact %.12g (rel %.2g)", tt, res.DenseX[i], exact(tt), e)
		}
	}
	if e := relErr(res.X[0], exact(t1)); e > 1e-9 {
		t.Errorf("x(%v) = %.12g, exact %.12g", t1, res.X[0], exact(t1))
	}
}

func TestHarmonicOscillatorLongRun(t *testing.T) {
	const w, t1 = 2.0, 200.0
	f := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -w*w*x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T1: t1, X0: []float64{1, 0}}, &ode.Options{RTol: 1e-12, ATol: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(res.X[0] - math.Cos(w*t1)); d > 1e-8 {
		t.Errorf("x(%v) = %.12g, cos gives %.12g", t1, res.X[0], math.Cos(w*t1))
	}
	if d := math.Abs(res.X[1] + w*math.Sin(w*t1)); d > 2e-8 {
		t.Errorf("x'(%v) = %.12g, -w sin gives %.12g", t1, res.X[1], -w*math.Sin(w*t1))
	}
}

// Global error against the number of steps: for a 5th-order method
// err ∝ steps^-5. The fitted log-log slope must be close to -5.
func TestConvergenceOrder(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -x[0] }
	var logSteps, logErr []float64
	for _, tol := range []float64{1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10} {
		res, err := ode.Solve(ode.Problem{F: f, T1: 20, X0: []float64{1, 0}}, &ode.Options{RTol: tol, ATol: tol})
		if err != nil {
			t.Fatal(err)
		}
		e := math.Hypot(res.X[0]-math.Cos(20), res.X[1]+math.Sin(20))
		logSteps = append(logSteps, math.Log(float64(res.Steps)))
		logErr = append(logErr, math.Log(e))
	}
	_, slope := stat.LinearRegression(logSteps, logErr, nil, false)
	if slope > -4.3 || slope < -6 {
		t.Errorf("error ~ steps^%.2f, want about steps^-5", slope)
	}
	// Tolerance proportionality: 5 decades of tolerance give about 5
	// decades of error.
	if dec := (logErr[0] - logErr[len(logErr)-1]) / math.Ln10; dec < 4 || dec > 6 {
		t.Errorf("error fell by %.2f decades over 5 decades of tolerance", dec)
	}
}

// x' = k x^p blows up at T* = 1/((p-1) k x0^(p-1)) with |x| ~ (T*-t)^(-1/(p-1)).
func TestPowerBlowUp(t *testing.T) {
	for i, test := range []struct {
		p, k, x0  float64
		threshold float64
	}{
		{p: 3, k: 1, x0: 1, threshold: 1e6},
		{p: 3, k: 0.5, x0: -2, threshold: 0}, // step collapse only
		{p: 4, k: 2, x0: 0.7, threshold: 1e3},
		{p: 4, k: 1, x0: 1, threshold: 0},
	} {
		f := func(_ float64, x, dx []float64) { dx[0] = test.k * math.Pow(math.Abs(x[0]), test.p-1) * x[0] }
		want := 1 / ((test.p - 1) * test.k * math.Pow(math.Abs(test.x0), test.p-1))
		for _, logTime := range []bool{false, true} {
			res, err := ode.Solve(ode.Problem{F: f, T1: 10 * want, X0: []float64{test.x0}},
				&ode.Options{RTol: 1e-10, ATol: 1e-12, BlowUpNorm: test.threshold, LogTime: logTime})
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if res.Status != ode.BlowUp {
				t.Fatalf("case %d (log %v): status %v at t = %v, want blow-up", i, logTime, res.Status, res.T)
			}
			if math.IsNaN(res.X[0]) || math.IsInf(res.X[0], 0) {
				t.Errorf("case %d: returned a non-finite state %v", i, res.X)
			}
			if e := relErr(res.BlowUpTime, want); e > 1e-8 {
				t.Errorf("case %d (log %v, %s): T* = %.12g, want %.12g (rel %.2g)", i, logTime, res.BlowUpReason, res.BlowUpTime, want, e)
			}
			if res.BlowUpErr > 1e-7*want || res.BlowUpErr < math.Abs(res.BlowUpTime-want) {
				t.Errorf("case %d: error estimate %.2g for an actual error %.2g", i, res.BlowUpErr, math.Abs(res.BlowUpTime-want))
			}
			if e := relErr(res.BlowUpExponent, 1/(test.p-1)); e > 1e-3 {
				t.Errorf("case %d: exponent %.6g, want %.6g", i, res.BlowUpExponent, 1/(test.p-1))
			}
			if res.T > res.BlowUpTime || res.T < 0.99*want {
				t.Errorf("case %d: stopped at t = %v, T* = %v", i, res.T, res.BlowUpTime)
			}
			if test.threshold > 0 && res.BlowUpReason != "threshold" {
				t.Errorf("case %d: reason %q, want threshold", i, res.BlowUpReason)
			}
		}
	}
}

// A right-hand side that returns NaN past x = 2 (as a saturated model
// would) must still give a finite state and a blow-up, not NaN.
func TestNonFiniteRightHandSide(t *testing.T) {
	f := func(_ float64, x, dx []float64) {
		if x[0] > 2 {
			dx[0] = math.NaN()
			return
		}
		dx[0] = x[0] * x[0]
	}
	res, err := ode.Solve(ode.Problem{F: f, T1: 5, X0: []float64{1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != ode.BlowUp || res.BlowUpReason != "non-finite state" {
		t.Fatalf("status %v (%s), want blow-up from a non-finite state", res.Status, res.BlowUpReason)
	}
	if !(res.X[0] <= 2) || math.IsNaN(res.X[0]) {
		t.Errorf("state %v, want finite and <= 2", res.X)
	}
	// x = 1/(1-t) reaches 2 at t = 1/2.
	if math.Abs(res.T-0.5) > 1e-6 {
		t.Errorf("stopped at t = %v, want 0.5", res.T)
	}
}

func TestEventLocation(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -x[0] }
	zero := func(_ float64, x []float64) float64 { return x[0] }
	for i, test := range []struct {
		dir      int
		terminal bool
		want     []float64
	}{
		{dir: 0, want: []float64{math.Pi / 2, 3 * math.Pi / 2, 5 * math.Pi / 2, 7 * math.Pi / 2}},
		{dir: -1, want: []float64{math.Pi / 2, 5 * math.Pi / 2}},
		{dir: +1, want: []float64{3 * math.Pi / 2, 7 * math.Pi / 2}},
		{dir: +1, terminal: true, want: []float64{3 * math.Pi / 2}},
	} {
		res, err := ode.Solve(ode.Problem{F: f, T1: 12, X0: []float64{1, 0}},
			&ode.Options{RTol: 1e-10, ATol: 1e-12, Events: []ode.Event{{G: zero, Direction: test.dir, Terminal: test.terminal}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Events) != len(test.want) {
			t.Fatalf("case %d: %d events, want %d", i, len(res.Events), len(test.want))
		}
		for j, ev := range res.Events {
			if math.Abs(ev.T-test.want[j]) > 1e-9 || math.Abs(ev.X[0]) > 1e-9 {
				t.Errorf("case %d: event %d at t = %.12g (x = %.2g), want %.12g", i, j, ev.T, ev.X[0], test.want[j])
			}
		}
		if test.terminal && (res.Status != ode.EventStop || res.T != res.Events[0].T) {
			t.Errorf("case %d: status %v at %v, want a stop at the event", i, res.Status, res.T)
		}
	}
}

// An event crossing in log time: x = ln(1+t) reaches 10 at t = e¹⁰ - 1.
func TestLogTimeEventAndSteps(t *testing.T) {
	f := func(t float64, _, dx []float64) { dx[0] = 1 / (1 + t) }
	want := math.Expm1(10)
	res, err := ode.Solve(ode.Problem{F: f, T1: 1e8, X0: []float64{0}}, &ode.Options{RTol: 1e-10, ATol: 1e-12, LogTime: true,
		Events: []ode.Event{{G: func(_ float64, x []float64) float64 { return x[0] - 10 }, Terminal: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != ode.EventStop || relErr(res.T, want) > 1e-9 {
		t.Errorf("event at t = %.12g (status %v), want %.12g", res.T, res.Status, want)
	}
}

// x' = -x³: x(t) = (x0⁻² + 2t)^-½. Reaching t = 1e8 takes O(ln t) steps:
// the second half of the decades costs about as much as the first half.
func TestLogTimeLongHorizon(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0] = -x[0] * x[0] * x[0] }
	exact := func(t float64) float64 { return 1 / math.Sqrt(1+2*t) }
	dense := []float64{1, 10, 1e3, 1e5, 1e7}
	for _, logTime := range []bool{false, true} {
		res, err := ode.Solve(ode.Problem{F: f, T1: 1e8, X0: []float64{1}}, &ode.Options{RTol: 1e-10, ATol: 1e-14, LogTime: logTime, Dense: dense})
		if err != nil {
			t.Fatal(err)
		}
		if e := relErr(res.X[0], exact(1e8)); e > 1e-8 {
			t.Errorf("log time %v: x(1e8) = %.12g, exact %.12g (rel %.2g)", logTime, res.X[0], exact(1e8), e)
		}
		for i, tt := range res.DenseT {
			if e := relErr(res.DenseX[i], exact(tt)); e > 1e-8 {
				t.Errorf("log time %v: dense x(%v) = %.12g, exact %.12g", logTime, tt, res.DenseX[i], exact(tt))
			}
		}
		half, err := ode.Solve(ode.Problem{F: f, T1: 1e4, X0: []float64{1}}, &ode.Options{RTol: 1e-10, ATol: 1e-14, LogTime: logTime})
		if err != nil {
			t.Fatal(err)
		}
		if float64(res.Steps) > 2.3*float64(half.Steps) {
			t.Errorf("log time %v: %d steps to 1e4 but %d to 1e8: not O(ln t)", logTime, half.Steps, res.Steps)
		}
	}
	// The helper gives the same right-hand side.
	g := ode.LogTime(f, 0)
	dx := []float64{0}
	g(ode.LogTimeOf(3, 0), []float64{0.5}, dx)
	if e := relErr(dx[0], 4*(-0.125)); e > 1e-15 {
		t.Errorf("LogTime: dx/dτ = %v, want %v", dx[0], -0.5)
	}
	if e := relErr(ode.TimeOfLog(ode.LogTimeOf(1e8, 2), 2), 1e8); e > 1e-15 {
		t.Errorf("TimeOfLog(LogTimeOf(t)) = %v", ode.TimeOfLog(ode.LogTimeOf(1e8, 2), 2))
	}
}

func TestOnStepSeesEveryAcceptedStep(t *testing.T) {
	var n int
	prev := 0.0
	f := func(_ float64, x, dx []float64) { dx[0] = -x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T1: 3, X0: []float64{1}}, &ode.Options{RTol: 1e-8, ATol: 1e-12,
		OnStep: func(t float64, x, dxdt []float64) {
			n++
			if !(t > prev) || math.Abs(dxdt[0]+x[0]) > 1e-15 {
				panic("OnStep got a non-increasing time or a wrong derivative")
			}
			prev = t
		}})
	if err != nil {
		t.Fatal(err)
	}
	if n != res.Steps || prev != 3 {
		t.Errorf("OnStep called %d times up to t = %v; %d accepted steps", n, prev, res.Steps)
	}
}

func TestMaxStepsIsAnErrorWithAPartialResult(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T1: 1000, X0: []float64{1, 0}}, &ode.Options{RTol: 1e-10, ATol: 1e-10, MaxSteps: 50})
	if !errors.Is(err, ode.ErrMaxSteps) {
		t.Fatalf("err = %v, want ErrMaxSteps", err)
	}
	if res == nil || res.Status != ode.MaxStepsReached || !(res.T > 0 && res.T < 1000) {
		t.Fatalf("partial result %+v", res)
	}
}

func TestBadInput(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0] = x[0] }
	for i, test := range []struct {
		p    ode.Problem
		o    *ode.Options
		want string
	}{
		{ode.Problem{F: f, T1: 1, X0: []float64{math.NaN()}}, nil, "X0[0]"},
		{ode.Problem{F: f, T1: 1, X0: []float64{math.Inf(1)}}, nil, "X0[0]"},
		{ode.Problem{F: f, T1: 1}, nil, "empty"},
		{ode.Problem{T1: 1, X0: []float64{1}}, nil, "nil right-hand side"},
		{ode.Problem{F: f, T0: 1, T1: 0, X0: []float64{1}}, nil, "T1"},
		{ode.Problem{F: f, T1: math.NaN(), X0: []float64{1}}, nil, "not finite"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: 0}, "RTol"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: -1e-6}, "RTol"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: 1e-6, ATol: -1}, "ATol"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: 1e-6, Dense: []float64{2}}, "Dense[0]"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: 1e-6, Dense: []float64{0.5, 0.2}}, "ascending"},
		{ode.Problem{F: f, T1: 1, X0: []float64{1}}, &ode.Options{RTol: 1e-6, Events: []ode.Event{{}}}, "event 0"},
		{ode.Problem{F: func(_ float64, _, dx []float64) { dx[0] = math.NaN() }, T1: 1, X0: []float64{1}}, nil, "not finite"},
	} {
		_, err := ode.Solve(test.p, test.o)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: err = %v, want one mentioning %q", i, err, test.want)
		}
	}
}

// The zero solution of x' = x³ stays zero and the solver takes few steps.
func TestZeroSolutionIsCheap(t *testing.T) {
	f := func(_ float64, x, dx []float64) { dx[0] = x[0] * x[0] * x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T1: 1e8, X0: []float64{0}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.X[0] != 0 || res.Steps > 40 {
		t.Errorf("x = %v after %d steps", res.X[0], res.Steps)
	}
}

func TestSolverReuseGivesIdenticalResults(t *testing.T) {
	var s ode.Solver
	f := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -math.Sin(x[0]) }
	p := ode.Problem{F: f, T1: 10, X0: []float64{2, 0}}
	a, err := s.Solve(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Solve(ode.Problem{F: f, T1: 3, X0: []float64{1, 1}}, nil); err != nil {
		t.Fatal(err)
	}
	b, err := s.Solve(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.X[0] != b.X[0] || a.X[1] != b.X[1] || a.Steps != b.Steps {
		t.Errorf("reused solver: %v (%d steps) vs %v (%d steps)", a.X, a.Steps, b.X, b.Steps)
	}
}

func TestExtrapolateBlowUpPerComponent(t *testing.T) {
	// x0 = (T*-t)^-1/3 blows up, x1 = 5 + t stays finite.
	const tstar = 2.0
	var pts []ode.Point
	prev := 0.0
	for _, tt := range []float64{1.9, 1.95, 1.97} {
		d := tstar - tt
		pts = append(pts, ode.Point{T: tt, H: tt - prev, X: []float64{math.Cbrt(1 / d), 5 + tt},
			DXDT: []float64{math.Cbrt(1/d) / (3 * d), 1}})
		prev = tt
	}
	ts, e, beta, ok := ode.ExtrapolateBlowUp(pts, 0)
	if !ok || math.Abs(ts-tstar) > 1e-12 || math.Abs(beta-1.0/3) > 1e-12 || e > 1e-12 {
		t.Errorf("component 0: T* = %v ± %v, β = %v, ok %v", ts, e, beta, ok)
	}
	if _, _, _, ok := ode.ExtrapolateBlowUp(pts, 1); ok {
		t.Errorf("component 1 is finite but was extrapolated to a blow-up")
	}
}

// x' = -1e6 (x - cos t) is stiff: an explicit method is held at
// h ≈ 3.3e-6 by stability. The stiffness test stops it early.
func TestStiffnessDetection(t *testing.T) {
	f := func(t float64, x, dx []float64) { dx[0] = -1e6 * (x[0] - math.Cos(t)) }
	res, err := ode.Solve(ode.Problem{F: f, T1: 10, X0: []float64{1}}, &ode.Options{RTol: 1e-6, ATol: 1e-9})
	if !errors.Is(err, ode.ErrStiff) {
		t.Fatalf("err = %v, want ErrStiff", err)
	}
	if res.Status != ode.Stiff || res.Steps > 2000 || math.Abs(res.X[0]-math.Cos(res.T)) > 1e-5 {
		t.Errorf("status %v after %d steps at t = %v, x = %v", res.Status, res.Steps, res.T, res.X[0])
	}
	// Disabled, the solver crawls on to MaxSteps.
	_, err = ode.Solve(ode.Problem{F: f, T1: 10, X0: []float64{1}}, &ode.Options{RTol: 1e-6, ATol: 1e-9, StiffCheck: -1, MaxSteps: 5000})
	if !errors.Is(err, ode.ErrMaxSteps) {
		t.Errorf("with StiffCheck < 0: err = %v, want ErrMaxSteps", err)
	}
	// A long non-stiff run never triggers it.
	g := func(_ float64, x, dx []float64) { dx[0], dx[1] = x[1], -x[0] }
	if _, err := ode.Solve(ode.Problem{F: g, T1: 1e3, X0: []float64{1, 0}}, &ode.Options{RTol: 1e-10, ATol: 1e-10, StiffCheck: 1}); err != nil {
		t.Errorf("oscillator: %v", err)
	}
}
