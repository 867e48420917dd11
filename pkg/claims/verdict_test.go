package claims

import (
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

func TestRules(t *testing.T) {
	for _, c := range []struct {
		agree, n         int
		count, empirical string
	}{
		{10, 10, Holds, Holds},
		{9, 10, Contradicted, Inconclusive},
		{95, 100, Contradicted, Holds},
		{94, 100, Contradicted, Inconclusive},
		{50, 100, Contradicted, Inconclusive},
		{49, 100, Contradicted, Contradicted},
		{0, 0, Inconclusive, Inconclusive},
	} {
		if got := countRule(c.agree, c.n); got != c.count {
			t.Errorf("countRule(%d, %d) = %q, want %q", c.agree, c.n, got, c.count)
		}
		if got := empiricalRule(c.agree, c.n); got != c.empirical {
			t.Errorf("empiricalRule(%d, %d) = %q, want %q", c.agree, c.n, got, c.empirical)
		}
	}
}

// Every outcome of the pre-registered rule has one ledger word, and
// nothing else has one.
func TestFromExperiment(t *testing.T) {
	for v, want := range map[string]string{
		experiment.Supported:    Holds,
		experiment.Contradicted: Contradicted,
		experiment.Inconclusive: Inconclusive,
		experiment.EquivalentVerdict(experiment.Quantity{Value: 1, Unit: "pp"}):          NotSupported,
		experiment.EquivalentVerdict(experiment.Quantity{Value: 0.03, Unit: "ppl/byte"}): NotSupported,
		experiment.NotSupported: NotSupported,
		"":                      "",
		"holds":                 "",
		"Supported":             "",
	} {
		if got := FromExperiment(v); got != want {
			t.Errorf("FromExperiment(%q) = %q, want %q", v, got, want)
		}
	}
}

// decisionClaims carries each decision's numbers and verdict into a claim,
// marks ours, and refuses a verdict the rule cannot give.
func TestDecisionClaims(t *testing.T) {
	m := experiment.Quantity{Value: 1, Unit: "pp"}
	ds := []experiment.Decision{
		{Hypothesis: experiment.Hypothesis{ID: "H1", Statement: "reordering raises accuracy", Endpoint: "49 tokens, final: a − b", Sign: 1, Family: experiment.Primary},
			N: 10, Mean: -0.18, Lo: -0.68, Hi: 0.32, PAdj: 0.43, TOSTPAdj: 0.0023, Power: 0.98, Margin: m, Verdict: experiment.EquivalentVerdict(m)},
		{Hypothesis: experiment.Hypothesis{ID: "H2", Statement: "ours: something else, not the authors'", Endpoint: "49 tokens, mean: a − b", Sign: 1, Family: experiment.Secondary},
			N: 10, Mean: 0.75, Lo: 0.53, Hi: 0.97, PAdj: 0.00001, TOSTPAdj: 0.5, Power: 1, Margin: m, Verdict: experiment.Supported},
	}
	level := func(e, arm string) (float64, bool) { return map[string]float64{"a": 83.51, "b": 83.69}[arm], true }
	cs, err := decisionClaims(ds, "reorder", "tab-x", "read x", reorderSource, level)
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Verdict != NotSupported || cs[0].Detail != ds[0].Verdict || cs[0].Hypothesis != "reorder H1" || cs[0].Ours {
		t.Errorf("claim 1 = %+v", cs[0])
	}
	for _, want := range []string{"H1, primary", "−0.18 [−0.68, +0.32] pp", "10 pairs", "Holm p (TOST ±1 pp) 0.0023", "power 0.98", "arm means a 83.51, b 83.69 pp"} {
		if !strings.Contains(cs[0].Evidence, want) {
			t.Errorf("evidence %q lacks %q", cs[0].Evidence, want)
		}
	}
	if cs[0].more() != "(equivalent within ±1 pp)" {
		t.Errorf("more() = %q", cs[0].more())
	}
	if cs[1].Verdict != Holds || !cs[1].Ours || cs[1].more() != "" {
		t.Errorf("claim 2 = %+v", cs[1])
	}
	ds[1].Verdict = "likely"
	if _, err := decisionClaims(ds, "reorder", "tab-x", "read x", reorderSource, level); err == nil {
		t.Error("a verdict outside the rule was accepted")
	}
}

func TestSigned(t *testing.T) {
	for v, want := range map[float64]string{0.0376: "+0.038", -0.824: "−0.824", -0.0001: "+0.000", 0: "+0.000", 1.5: "+1.500"} {
		if got := signed(v, 3); got != want {
			t.Errorf("signed(%v, 3) = %q, want %q", v, got, want)
		}
	}
}
