package theory_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// Table 1 against simulation on 300 random instances per scenario: no
// disagreement, and the rate constants within 5 % of their predictions.
func TestSweepAgreesWithTable1(t *testing.T) {
	calls := 0
	res, err := theory.Sweep(theory.SweepConfig{Seed: 2025, PerScenario: 300, Progress: func(done, total int) {
		calls++
		if done != calls || total != 900 {
			panic(fmt.Sprintf("progress %d/%d at call %d", done, total, calls))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 900 {
		t.Errorf("progress called %d times", calls)
	}
	if len(res.Scenarios) != 3 {
		t.Fatalf("%d scenario summaries", len(res.Scenarios))
	}
	// Rates that must hold on every instance, and rates that are reported
	// with a slowly converging finite-horizon error (at least 95 % within).
	every := map[string]bool{
		"sqrt(T)|x_1(T)|": true,
		"dG/d ln t on [T/100, T], G = |S_Δ||x_1| - 3 ln|x_1|":                         true,
		"asymptotic time e^{sy}/(μ s y³)(1+3/(sy)+12/(sy)²+60/(sy)³) at y = |x_1(T)|": true,
		"blow-up exponent β of the first blowing token":                               true,
		"T* when token 1 blows up first":                                              true,
	}
	for _, sc := range res.Scenarios {
		if sc.Count != 300 || sc.Agree != 300 {
			t.Errorf("%v: %d/%d agree", sc.Scenario, sc.Agree, sc.Count)
			for _, d := range sc.Disagreements {
				t.Logf("  instance %d %+v x0 %v: simulated %v; %s", d.Index, d.Scalar, d.X0, d.Simulated, d.Note)
			}
		}
		if len(sc.Rates) == 0 || !every[sc.Rates[0].Name] {
			t.Errorf("%v: main rate missing: %+v", sc.Scenario, sc.Rates)
		}
		for _, r := range sc.Rates {
			if every[r.Name] {
				if r.Within5 != r.N || r.N == 0 {
					t.Errorf("%v: %q: %d/%d within 5 %% (max rel err %.3g)", sc.Scenario, r.Name, r.Within5, r.N, r.MaxRelErr)
				}
			} else if float64(r.Within5) < 0.95*float64(r.N) {
				t.Errorf("%v: %q: only %d/%d within 5 %%", sc.Scenario, r.Name, r.Within5, r.N)
			}
		}
	}
	// Token 1 blows up first in some fast instances: T* equals the
	// single-token quadrature to about 1e-8.
	for _, r := range res.Scenarios[2].Rates {
		if strings.HasPrefix(r.Name, "T*") && (r.N < 30 || r.MaxRelErr > 1e-7) {
			t.Errorf("T* vs quadrature: N = %d, max rel err %.3g", r.N, r.MaxRelErr)
		}
	}
}

// Same seed, different worker counts: identical results.
func TestSweepIsDeterministic(t *testing.T) {
	run := func(workers int) string {
		res, err := theory.Sweep(theory.SweepConfig{Seed: 7, PerScenario: 20, Workers: workers, KeepInstances: true})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v", res.Scenarios) + fmt.Sprintf("%+v", res.Instances)
	}
	a, b, c := run(1), run(2), run(3)
	if a != b || a != c {
		t.Errorf("sweep results differ between 1, 2 and 3 workers")
	}
	if run(2) == func() string {
		res, _ := theory.Sweep(theory.SweepConfig{Seed: 8, PerScenario: 20, KeepInstances: true})
		return fmt.Sprintf("%+v", res.Scenarios) + fmt.Sprintf("%+v", res.Instances)
	}() {
		t.Errorf("seeds 7 and 8 gave the same sweep")
	}
}

func TestSweepBadConfig(t *testing.T) {
	for i, cfg := range []theory.SweepConfig{
		{PerScenario: -1},
		{Workers: -2},
		{Horizon: 10},
		{RTol: -1},
	} {
		if _, err := theory.Sweep(cfg); err == nil {
			t.Errorf("case %d: no error for %+v", i, cfg)
		}
	}
}
