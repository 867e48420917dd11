package lm_test

import (
	"math"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// constructed is a result of lm.Default without training: every run's test
// perplexity is ppl(arm, seed).
func constructed(ppl func(arm string, seed uint64) float64) *lm.Result {
	s := lm.Default()
	r := &lm.Result{Spec: s}
	for _, j := range s.Jobs() {
		a := s.Arms[j.Arm].Name
		r.Runs = append(r.Runs, lm.RunResult{Depth: s.Depths[j.Depth].Name(), Arm: a,
			Result: lmrun.Result{Seed: j.Seed, Test: lmrun.Eval{Perplexity: ppl(a, j.Seed)}}})
	}
	return r
}

// Decide hands Prereg.Decide exactly the per-seed differences A − B of each
// endpoint, so the verdicts follow the rule: here a clear effect for H1, an
// exact tie (equivalence) for H8, and H2, a small consistent difference
// (+0.006 ppl/byte) whose raw p passes α but whose Holm adjustment over the
// 8 secondaries does not, and which lies well inside the margin: not
// supported (equivalent within ±m).
func TestDecideOnConstructedResult(t *testing.T) {
	p := loadPrereg(t)
	noise := func(seed uint64, k float64) float64 { return 0.01 * math.Sin(k*float64(seed)) }
	r := constructed(func(arm string, seed uint64) float64 {
		v := 6.0
		switch arm {
		case lm.ArmNegWD:
			v += 0.1 + noise(seed, 1) // H1: neg-wd − pos-wd ≈ +0.1 ± 0.01
		case lm.ArmNeg:
			v += 0.006 + 0.95*noise(seed, 3) // H2: small, raw p < 0.05, Holm-adjusted over 8 not
		case lm.ArmNegD0, lm.ArmPosD0:
			v += 1 // H8: exactly equal
		}
		return v
	})
	ds, err := r.Decide(p)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]experiment.Decision{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	want := map[string]string{"H1": experiment.Supported, "H8": experiment.Supported}
	for id, v := range want {
		if byID[id].Verdict != v {
			t.Errorf("%s: %q, want %q (%+v)", id, byID[id].Verdict, v, byID[id])
		}
	}
	h2 := byID["H2"]
	if eq := experiment.EquivalentVerdict(p.Margin); !(h2.P < 0.05 && h2.PAdj >= 0.05 && h2.Verdict == eq) {
		t.Errorf("H2: p %v, Holm %v, verdict %q: want raw p < 0.05, Holm ≥ 0.05, %q", h2.P, h2.PAdj, h2.Verdict, eq)
	}
	diffs, err := r.EndpointDiffs("8x48: neg-wd − pos-wd")
	if err != nil || len(diffs) != 10 || diffs[0] != r.Runs[4].Test.Perplexity-r.Runs[5].Test.Perplexity {
		t.Fatalf("EndpointDiffs = %v, %v", diffs, err)
	}

	// A pre-registration of other seeds, arms or experiment is refused.
	for name, q := range map[string]func(experiment.Prereg) experiment.Prereg{
		"seeds": func(q experiment.Prereg) experiment.Prereg {
			q.Seeds = append([]int64{102, 101}, q.Seeds[2:]...)
			return q
		},
		"arms": func(q experiment.Prereg) experiment.Prereg {
			q.Arms = append([]string{"pos", "neg"}, q.Arms[2:]...)
			return q
		},
		"experiment": func(q experiment.Prereg) experiment.Prereg { q.Experiment = "other"; return q },
	} {
		if _, err := r.Decide(q(p)); err == nil {
			t.Errorf("a pre-registration with other %s: no error", name)
		}
	}
	for _, e := range []string{"neg − pos", "8x48: neg - pos", "3x80: neg − pos", "8x48: neg − sideways"} {
		if _, _, _, err := lm.ParseEndpoint(r.Spec, e); err == nil || !strings.Contains(err.Error(), "endpoint") {
			t.Errorf("ParseEndpoint(%q): %v, want an error", e, err)
		}
	}
}
