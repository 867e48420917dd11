package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/ode"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// dynamicsReport is the JSON object printed by `tokendyn dynamics`. Numbers
// that do not exist (no blow-up, an infinite bound, a limit that does not
// apply) are null.
type dynamicsReport struct {
	Scenario  string    `json:"scenario"`
	Reason    string    `json:"reason"`
	Behaviour string    `json:"behaviour"`
	Mu        float64   `json:"mu"`
	SDelta    float64   `json:"sdelta"`
	A         float64   `json:"a"`
	X0        []float64 `json:"x0"`
	T         float64   `json:"t"`
	// SDeltaXPositive lists the 1-based tokens with S_Δ x_l(0) > 0 (the
	// ones that start a blow-up when μ > 0).
	SDeltaXPositive []int `json:"sdelta_x0_positive_tokens"`

	// Simulation.
	Status          string    `json:"status"`
	BlowupTime      *float64  `json:"blowup_time"`
	BlowupTimeError *float64  `json:"blowup_time_error"`
	BlowupExponent  *float64  `json:"blowup_exponent"`
	BlowupReason    string    `json:"blowup_reason,omitempty"`
	X               []float64 `json:"x"`
	TEnd            float64   `json:"t_end"`
	XEnd            []float64 `json:"x_end"`
	SqrtTX1         *float64  `json:"sqrt_t_x1"`
	// EndRelTol is the relative error per step that the error test
	// allows at t_end, (atol + rtol·max|x|)/max|x|: rtol while the tokens are
	// large, growing like atol/|x| once they fall below atol/rtol (the
	// convergent scenario at long horizons). Null when all tokens are 0.
	EndRelTol *float64 `json:"x_end_relative_tolerance"`
	Steps     int      `json:"steps"`
	Evals     int      `json:"rhs_evals"`

	// Predictions.
	BlowupTimeBound      *float64   `json:"blowup_time_bound"`
	BlowupTimeQuadrature *float64   `json:"blowup_time_quadrature_bound"`
	SingleTokenTStar     *float64   `json:"single_token_tstar"`
	SqrtTX1Limit         *float64   `json:"sqrt_t_x1_limit"`
	SqrtTLimits          []*float64 `json:"sqrt_t_limits"`
}

// runDynamics implements `tokendyn dynamics`: classify a 1-D system by the
// criteria of Table 1, simulate it to --t, print one JSON object.
func runDynamics(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("dynamics", stderr, dynamicsHelp)
	mu := fs.Float64("mu", 0, "μ = S_Cᵀ S_B (required)")
	sdelta := fs.Float64("sdelta", 0, "S_Δ, so Δ(x) = softplus(S_Δ x) (required)")
	a := fs.Float64("a", 0, "a > 0 in A = -a I (required)")
	x0s := fs.String("x0", "", "initial tokens, comma-separated, e.g. 0.5,-0.3,0.4 (required)")
	horizon := fs.Float64("t", 0, "time horizon T > 0 (required)")
	rtol := fs.Float64("rtol", 1e-10, "relative tolerance of the integrator")
	atol := fs.Float64("atol", 1e-13, "absolute tolerance of the integrator")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	usageErr := func(format string, v ...any) int {
		fmt.Fprintf(stderr, "tokendyn dynamics: "+format+"\n", v...)
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"mu", "sdelta", "a", "x0", "t"} {
		if !set[name] {
			return usageErr("--%s is required (see tokendyn help dynamics)", name)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"mu", *mu}, {"sdelta", *sdelta}, {"a", *a}, {"t", *horizon}, {"rtol", *rtol}, {"atol", *atol}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return usageErr("--%s = %v: want a finite number", f.name, f.v)
		}
	}
	switch {
	case !(*a > 0):
		return usageErr("--a = %v: want a > 0 (A = -a I must be negative)", *a)
	case !(*horizon > 0):
		return usageErr("--t = %v: want a positive time", *horizon)
	case !(*rtol >= 1e-15 && *rtol < 1):
		return usageErr("--rtol = %v: want a value in [1e-15, 1)", *rtol)
	case !(*atol >= 0 && *atol < 1):
		return usageErr("--atol = %v: want a value in [0, 1)", *atol)
	}
	x0, err := parseTokens(*x0s)
	if err != nil {
		return usageErr("--x0: %v", err)
	}

	s := theory.Scalar{Mu: *mu, SDelta: *sdelta, A: *a}
	rep, err := dynamicsRun(s, x0, *horizon, *rtol, *atol)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn dynamics: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "tokendyn dynamics: %v\n", err)
		return 1
	}
	return 0
}

// parseTokens parses "v1,v2,..." into finite numbers.
func parseTokens(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("empty list, want comma-separated numbers such as 0.5,-0.3")
	}
	parts := strings.Split(s, ",")
	x := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("token %d: %q is not a number", i+1, strings.TrimSpace(p))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("token %d: %v is not finite", i+1, v)
		}
		x[i] = v
	}
	return x, nil
}

// cubeFloor is the smallest token magnitude the right-hand side computes in
// float64's normal range: it multiplies x_l by Σ x_j² Δ(x_j), a cube, and
// (1e-100)³ = 1e-300 is just above the smallest normal 2.2e-308; below it
// the products lose precision and then underflow to 0, freezing the tokens.
const cubeFloor = 1e-100

// resolutionFloor is the token magnitude below which the solver no longer
// controls the relative error: --atol (the error test accepts any error below
// it), or cubeFloor when --atol is smaller.
func resolutionFloor(atol float64) float64 { return math.Max(atol, cubeFloor) }

// dynamicsRun classifies, predicts and simulates. It integrates in log time
// τ = ln(1 + t), so every finite --t is representable and the solver needs
// O(ln T) steps; what limits the horizon is the resolution of the tokens:
//   - when every token falls below resolutionFloor (the convergent scenario,
//     |x| ~ t^-1/2, at t ≈ (lim/floor)²), their relative error is no longer
//     controlled, and the solver can go unstable and "blow up" on noise; the
//     run is refused with the time it happened (no numbers are reported);
//   - a step-size collapse (h < 10·eps·τ) or a non-finite state is reported
//     as a blow-up only if the tokens actually grew past max|x(0)|;
//     otherwise it is refused as a loss of resolution.
func dynamicsRun(s theory.Scalar, x0 []float64, T, rtol, atol float64) (*dynamicsReport, error) {
	cl, err := s.Classify(x0)
	if err != nil {
		return nil, err
	}
	floor, start := resolutionFloor(atol), maxAbs(x0)
	if start > 0 && start < floor {
		return nil, fmt.Errorf("every token is below %g (max|x0| = %g), the smallest magnitude the solver resolves with --atol = %g; lower --atol (down to %g) or scale x0", floor, start, atol, cubeFloor)
	}
	lostAt := math.NaN() // first accepted time with max|x| < floor
	onStep := func(t float64, x, _ []float64) {
		if start > 0 && math.IsNaN(lostAt) && maxAbs(x) < floor {
			lostAt = t
		}
	}
	// theory.SimOptions reads ATol = 0 as "use the default 1e-12", which
	// silently capped the relative accuracy of small tokens at 1e-12/|x|; a
	// requested 0 is passed as the smallest positive float64 instead.
	solverATol := atol
	if solverATol == 0 {
		solverATol = math.SmallestNonzeroFloat64
	}
	tr, err := s.Simulate(x0, T, &theory.SimOptions{RTol: rtol, ATol: solverATol, Times: []float64{T}, OnStep: onStep})
	if err != nil {
		return nil, err
	}
	if !math.IsNaN(lostAt) && lostAt < T {
		return nil, fmt.Errorf("--t = %g is past what the solver resolves: every token fell below %g at t ≈ %.3g, where %s; the state at T would not be resolved (lower --atol, down to %g, or use --t < %.3g)",
			T, floor, lostAt, floorReason(atol), cubeFloor, lostAt)
	}
	if err := checkBlowUpSeen(tr, start); err != nil {
		return nil, err
	}
	rep := &dynamicsReport{
		Scenario: cl.Scenario.String(), Reason: cl.Reason, Behaviour: cl.Behaviour,
		Mu: s.Mu, SDelta: s.SDelta, A: s.A, X0: x0, T: T, SDeltaXPositive: oneBasedTokens(cl.Fast),
		Status: tr.Status.String(), TEnd: tr.End, XEnd: tr.XEnd, Steps: tr.Steps, Evals: tr.Evals,
	}
	if m := maxAbs(tr.XEnd); m > 0 {
		rep.EndRelTol = num((atol + rtol*m) / m)
	}
	if tr.BlowUp {
		rep.BlowupTime = num(tr.BlowUpTime)
		rep.BlowupTimeError = num(tr.BlowUpErr)
		rep.BlowupExponent = num(tr.BlowUpExponent)
		rep.BlowupReason = tr.BlowUpReason
	}
	if tr.Status == ode.Completed && len(tr.T) == 1 {
		rep.X = tr.X
		rep.SqrtTX1 = num(math.Sqrt(T) * math.Abs(tr.X[0]))
	}
	b := s.Bounds(x0)
	rep.BlowupTimeBound = num(b.Paper)
	rep.BlowupTimeQuadrature = num(b.Quadrature)
	rep.SingleTokenTStar = num(b.FirstToken)
	if cl.Scenario == theory.Convergent {
		lim := s.SqrtTLimits(x0)
		rep.SqrtTX1Limit = num(lim[0])
		for _, v := range lim {
			rep.SqrtTLimits = append(rep.SqrtTLimits, num(v))
		}
	}
	return rep, nil
}

// checkBlowUpSeen refuses a blow-up status the tokens do not show: a
// step-size collapse or a non-finite trial state while max|x| has not grown
// past its initial value start is a loss of resolution, not a blow-up.
func checkBlowUpSeen(tr *theory.Trajectory, start float64) error {
	if tr.BlowUp && !(maxAbs(tr.XEnd) > start) {
		return fmt.Errorf("the solver stopped at t ≈ %.6g (%s) although the tokens had not grown (max|x| = %g ≤ max|x0| = %g): a loss of resolution, not a blow-up; tighten --rtol/--atol or shorten --t",
			tr.End, tr.BlowUpReason, maxAbs(tr.XEnd), start)
	}
	return nil
}

func floorReason(atol float64) string {
	if atol >= cubeFloor {
		return "the error test (--atol) stops controlling their relative error"
	}
	return "the cubes x³ of the right-hand side leave float64's normal range"
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// num returns &v, or nil for NaN and ±Inf (JSON null).
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func oneBasedTokens(idx []int) []int {
	out := make([]int, len(idx))
	for i, v := range idx {
		out[i] = v + 1
	}
	return out
}

// dynamicsHelp is the text of `tokendyn dynamics -h` above the flags.
const dynamicsHelp = `Usage: tokendyn dynamics --mu M --sdelta S --a A --x0 v1,v2,... --t T [--rtol R --atol A]

Classifies the 1-D token dynamics dx_l/dt = μ x_l Σ_{j≤l} x_j² Δ(x_j) e^{-a Σ_{k=j+1..l} Δ(x_k)}
by the criteria of Table 1 (convergent, slow-divergent, fast-divergent, degenerate),
simulates it to T (or to a finite-time blow-up) and prints one JSON object.`
