package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

func runDynamicsJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(append([]string{"dynamics"}, args...), &out, &errb); code != 0 {
		t.Fatalf("dynamics %v exited %d: %s", args, code, errb.String())
	}
	var m map[string]any
	dec := json.NewDecoder(&out)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if dec.More() {
		t.Fatalf("more than one JSON value in the output")
	}
	return m
}

func number(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	v, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s = %v (%T), want a number", key, m[key], m[key])
	}
	return v
}

func isNull(m map[string]any, key string) bool {
	v, ok := m[key]
	return ok && v == nil
}

// The three Table 1 scenarios on the reference systems of docs/paper.md §10.
// The expected values are read from pkg/theory/testdata/rk4_reference.json.
func TestDynamicsScenarios(t *testing.T) {
	ref, err := theory.RK4Reference()
	if err != nil {
		t.Fatal(err)
	}
	fast := runDynamicsJSON(t, "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5,-0.3,0.4", "--t", "10")
	if fast["scenario"] != "fast-divergent" || !isNull(fast, "x") || !isNull(fast, "sqrt_t_x1_limit") {
		t.Errorf("fast: %v", fast)
	}
	if tstar := number(t, fast, "blowup_time"); math.Abs(tstar-ref.FastDivergence.BlowUpTime) > 5e-7 {
		t.Errorf("fast: blowup_time = %v, want %v", tstar, ref.FastDivergence.BlowUpTime)
	}
	if b := number(t, fast, "blowup_time_bound"); math.Abs(b-1/(3*0.125)) > 1e-12 {
		t.Errorf("fast: blowup_time_bound = %v, want 8/3", b)
	}
	if q := number(t, fast, "single_token_tstar"); math.Abs(q-ref.FastDivergence.SingleTokenBlowUpTime) > 5e-8 {
		t.Errorf("fast: single_token_tstar = %v", q)
	}

	conv := runDynamicsJSON(t, "--mu=-1", "--sdelta=1", "--a=1", "--x0=1,-0.8,0.5,1.2", "--t=1e4")
	if conv["scenario"] != "convergent" || !isNull(conv, "blowup_time") || !isNull(conv, "blowup_time_bound") {
		t.Errorf("convergent: %v", conv)
	}
	x, ok := conv["x"].([]any)
	if !ok || len(x) != 4 {
		t.Fatalf("convergent: x = %v", conv["x"])
	}
	if v, w := 100*x[0].(float64), ref.Convergence.SqrtTX[3][0]; math.Abs(v-w) > 6e-6 {
		t.Errorf("convergent: √t x_1(1e4) = %v, reference %v", v, w)
	}
	if lim := number(t, conv, "sqrt_t_x1_limit"); math.Abs(lim-ref.Convergence.SqrtTX1Limit) > 5e-7 {
		t.Errorf("convergent: sqrt_t_x1_limit = %v", lim)
	}

	slow := runDynamicsJSON(t, "--mu", "1", "--sdelta", "-1", "--a", "1", "--x0", "1, 0.8, 0.5, 1.2", "--t", "1e6")
	if slow["scenario"] != "slow-divergent" || !isNull(slow, "blowup_time") || !isNull(slow, "blowup_time_bound") {
		t.Errorf("slow: %v", slow)
	}
	if x, w := slow["x"].([]any), ref.SlowDivergence.X[2][3]; math.Abs(x[3].(float64)-w) > 6e-5 {
		t.Errorf("slow: x_4(1e6) = %v, reference %v", x[3], w)
	}

	// Before the blow-up the tokens are reported at T.
	early := runDynamicsJSON(t, "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5,-0.3,0.4", "--t", "1")
	if early["scenario"] != "fast-divergent" || !isNull(early, "blowup_time") || early["x"] == nil {
		t.Errorf("fast, T < T*: %v", early)
	}
}

func TestDynamicsDegenerate(t *testing.T) {
	m := runDynamicsJSON(t, "--mu", "2", "--sdelta", "0", "--a", "1", "--x0", "0.5", "--t", "100")
	want := 1 / (2 * 2 * math.Ln2 * 0.25)
	if m["scenario"] != "degenerate" || !strings.Contains(m["reason"].(string), "S_Δ = 0") {
		t.Errorf("S_Δ = 0: %v", m)
	}
	if tstar := number(t, m, "blowup_time"); math.Abs(tstar/want-1) > 1e-8 {
		t.Errorf("S_Δ = 0: blowup_time = %v, want %v", tstar, want)
	}
	if b := number(t, m, "blowup_time_bound"); math.Abs(b/want-1) > 1e-14 {
		t.Errorf("S_Δ = 0: bound = %v, want %v", b, want)
	}
	zero := runDynamicsJSON(t, "--mu", "0", "--sdelta", "1", "--a", "1", "--x0", "1,-2", "--t", "1e3")
	if zero["scenario"] != "degenerate" {
		t.Errorf("μ = 0: %v", zero)
	}
	if x := zero["x"].([]any); x[0].(float64) != 1 || x[1].(float64) != -2 {
		t.Errorf("μ = 0: tokens moved: %v", x)
	}
}

func TestDynamicsBadFlags(t *testing.T) {
	base := map[string]string{"--mu": "1", "--sdelta": "1", "--a": "1", "--x0": "0.5", "--t": "1"}
	for i, test := range []struct {
		key, value string // value "" with key set: drop the flag
		want       string
	}{
		{"--mu", "NaN", "--mu"},
		{"--sdelta", "Inf", "--sdelta"},
		{"--a", "0", "a > 0"},
		{"--a", "-1", "a > 0"},
		{"--t", "0", "--t"},
		{"--t", "-5", "--t"},
		{"--x0", "", "--x0 is required"},
		{"--x0", " ", "empty"},
		{"--x0", "1,,2", "token 2"},
		{"--x0", "1,abc", "token 2"},
		{"--x0", "1,NaN", "not finite"},
		{"--mu", "", "--mu is required"},
		{"--rtol", "0", "--rtol"},
		{"--mu", "x", "invalid value"},
	} {
		var args []string
		for k, v := range base {
			if k == test.key {
				continue
			}
			args = append(args, k, v)
		}
		if test.value != "" || test.key == "--rtol" {
			args = append(args, test.key, test.value)
		}
		if test.key == "--x0" && test.value == " " {
			args = append(args, "--x0", " ")
		}
		var out, errb bytes.Buffer
		code := run(append([]string{"dynamics"}, args...), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), test.want) || out.Len() != 0 {
			t.Errorf("case %d (%s=%q): exit %d, stderr %q, stdout %q; want exit 2 mentioning %q", i, test.key, test.value, code, errb.String(), out.String(), test.want)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "1", "--t", "1", "extra"}, &out, &errb); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
	if code := run([]string{"help", "dynamics"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "--x0") {
		t.Errorf("help dynamics: exit %d, %q", code, out.String())
	}
}

// Tolerances outside the documented ranges and horizons past what the solver
// resolves are usage errors, not wrong answers with exit 0.
func TestDynamicsEnforcesTolerancesAndHorizon(t *testing.T) {
	for _, args := range [][]string{
		{"--rtol", "1e300"}, {"--rtol", "1"}, {"--rtol", "1e-16"}, {"--atol", "1e300"}, {"--atol", "-1"}, {"--t", "-1"}, {"--t", "Inf"},
	} {
		all := append([]string{"dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5", "--t", "1"}, args...)
		code, stdout, stderr := runCLI(all...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, args[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI("dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5", "--t", "1", "--rtol", "1e-6", "--atol", "1e-9"); code != 0 {
		t.Errorf("valid tolerances refused: %s", stderr)
	}
}

// TestDynamicsHugeHorizons: integrating in log time, any finite --t is
// representable; what the solver cannot resolve is said, never replaced by
// numbers. A convergent system (|x_l| ~ lim_l t^-1/2) at --t 1e60 is refused
// with the time every token fell below --atol, which must be near the closed
// form (max_l lim_l / atol)²; with --atol 0 (relative control only) the same
// run is resolved and √t·|x_1| equals its limit (the old behaviour reported
// a blow-up at t ≈ 1.35e50); a step collapse without growth is refused as
// "not a blow-up"; the blow-up case at --t 1e60 reports the same T* as at
// --t 10, below the Theorem C bound.
func TestDynamicsHugeHorizons(t *testing.T) {
	sys := []string{"dynamics", "--sdelta", "1", "--a", "1", "--x0", "0.5,-0.3,0.4"}
	code, stdout, stderr := runCLI(append(sys, "--mu", "-1", "--t", "1e60")...)
	if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "fell below 1e-13") {
		t.Fatalf("convergent, --t 1e60: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	var lostAt float64
	if _, err := fmt.Sscanf(stderr[strings.Index(stderr, "t ≈ ")+len("t ≈ "):], "%g", &lostAt); err != nil {
		t.Fatal(err)
	}
	lim := theory.Scalar{Mu: -1, SDelta: 1, A: 1}.SqrtTLimits([]float64{0.5, -0.3, 0.4})
	want := math.Pow(slices.Max(lim)/1e-13, 2)
	if lostAt < want/2 || lostAt > 2*want {
		t.Errorf("tokens fell below atol at t ≈ %g, closed form (max lim / atol)² = %g", lostAt, want)
	}
	// With --atol 0 the error test is relative only, and the same system at
	// 1e60 is resolved: √t·|x_1| equals its limit (2|μ| ln 2)^(-1/2).
	code, stdout, stderr = runCLI(append(sys, "--mu", "-1", "--t", "1e60", "--atol", "0")...)
	var conv dynamicsReport
	if code != 0 || json.Unmarshal([]byte(stdout), &conv) != nil || conv.Status != "completed" || conv.SqrtTX1 == nil {
		t.Fatalf("convergent, --t 1e60 --atol 0: exit %d, stderr %q", code, stderr)
	}
	if lim := 1 / math.Sqrt(2*math.Ln2); math.Abs(*conv.SqrtTX1-lim) > 1e-9*lim {
		t.Errorf("√t·|x_1| at 1e60 = %.12g, limit %.12g", *conv.SqrtTX1, lim)
	}
	// A step collapse while the tokens shrank is refused, not reported.
	tr := &theory.Trajectory{BlowUp: true, BlowUpReason: "step size collapse", End: 1.35e50, XEnd: []float64{1e-18, -8e-19}}
	if err := checkBlowUpSeen(tr, 0.5); err == nil || !strings.Contains(err.Error(), "not a blow-up") {
		t.Errorf("collapse without growth: %v", err)
	}
	tr.XEnd = []float64{1e30, 2}
	if err := checkBlowUpSeen(tr, 0.5); err != nil {
		t.Errorf("a grown state is a blow-up: %v", err)
	}
	blowUp := func(horizon string) (tstar, bound float64) {
		code, stdout, stderr := runCLI(append(sys, "--mu", "1", "--t", horizon)...)
		var rep dynamicsReport
		if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || rep.Status != "blow-up" || rep.BlowupTime == nil || rep.BlowupTimeBound == nil {
			t.Fatalf("blow-up, --t %s: exit %d, stderr %q, stdout %q", horizon, code, stderr, stdout)
		}
		return *rep.BlowupTime, *rep.BlowupTimeBound
	}
	near, bound := blowUp("10")
	far, _ := blowUp("1e60")
	if math.Abs(far-near) > 1e-6*near || !(far <= bound) {
		t.Errorf("T* = %v at --t 1e60, %v at --t 10, Theorem C bound %v", far, near, bound)
	}
}

// TestDynamicsLongHorizonAccuracy: with S_Δ = 0 (Δ = ln 2) the first token
// solves dx/dt = μ ln2 x³ exactly, x(t) = x0 / √(1 − 2μ ln2 x0² t). At
// t = 1e16 the token is 8.5e-9: with --atol 0 (pure relative control) the
// simulation matches the closed form to 1e-9; with --atol 1e-12 the error
// test only asks for an absolute 1e-12, and the error, though far above
// rtol, stays within the reported x_end_relative_tolerance (≈ 1.2e-4).
// --atol 0 used to be read as the solver's default 1e-12 (error 6.7e-5).
func TestDynamicsLongHorizonAccuracy(t *testing.T) {
	const x0, T = 0.5, 1e16
	exact := x0 / math.Sqrt(1+2*math.Ln2*x0*x0*T)
	for _, c := range []struct {
		atol    string
		maxRel  float64
		usesTol bool
	}{{"0", 1e-9, false}, {"1e-12", 0, true}} {
		code, stdout, stderr := runCLI("dynamics", "--mu", "-1", "--sdelta", "0", "--a", "1", "--x0", "0.5", "--t", "1e16", "--atol", c.atol)
		var rep dynamicsReport
		if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || len(rep.X) != 1 || rep.EndRelTol == nil {
			t.Fatalf("--atol %s: exit %d, stderr %q", c.atol, code, stderr)
		}
		rel := math.Abs(rep.X[0]-exact) / exact
		bound := c.maxRel
		if c.usesTol {
			bound = *rep.EndRelTol
			if bound < 1e-5 {
				t.Errorf("--atol %s: x_end_relative_tolerance %g, want about 1e-12/8.5e-9", c.atol, bound)
			}
		}
		if rel > bound {
			t.Errorf("--atol %s: x(1e16) = %v, exact %v: relative error %.3g > %.3g", c.atol, rep.X[0], exact, rel, bound)
		}
		t.Logf("--atol %s: relative error %.3g (x_end_relative_tolerance %.3g)", c.atol, rel, *rep.EndRelTol)
	}
}
