package experiment

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// testPrereg has one primary hypothesis ("p", claimed sign +1) and the
// secondary ones given, over six seeds, α = 0.05, m = 0.1 u.
func testPrereg(secondary ...Hypothesis) Prereg {
	p := Prereg{
		Experiment: "test",
		Hypotheses: []Hypothesis{{ID: "P", Statement: "a beats b", Endpoint: "p", Sign: +1, Family: Primary}},
		Seeds:      []int64{11, 12, 13, 14, 15, 16},
		Arms:       []string{"a", "b"},
		Budget:     map[string]any{},
		Alpha:      0.05,
		Margin:     Quantity{0.1, "u"},
		Effect:     Quantity{0.2, "u"},
		Power:      0.8,
		Correction: HolmCorr,
	}
	for _, h := range secondary {
		h.Statement, h.Family = "claim on "+h.Endpoint, Secondary
		p.Hypotheses = append(p.Hypotheses, h)
	}
	return p
}

var (
	clearPositive = []float64{0.48, 0.52, 0.50, 0.51, 0.49, 0.50}
	clearNegative = []float64{-0.48, -0.52, -0.50, -0.51, -0.49, -0.50}
	nearZero      = []float64{0.001, -0.001, 0.002, -0.002, 0.0005, -0.0005}
	noisy         = []float64{1.0, -1.0, 0.8, -0.7, 0.3, -0.1}
	borderline    = []float64{0.9, 0.1, 0.5, 0.2, 0.6, 0.05} // two-sided p ≈ 0.034, TOST p ≈ 0.96 (scipy)
)

// Each of the four verdicts comes out of a constructed dataset, for
// claimed signs +1, −1 and 0, in the primary family (no adjustment).
func TestDecideFourVerdicts(t *testing.T) {
	equivalent := "not supported (equivalent within ±0.1 u)"
	if got := EquivalentVerdict(Quantity{0.1, "u"}); got != equivalent {
		t.Fatalf("EquivalentVerdict = %q", got)
	}
	for _, c := range []struct {
		sign int
		d    []float64
		want string
	}{
		{+1, clearPositive, Supported},
		{+1, clearNegative, Contradicted},
		{+1, nearZero, equivalent},
		{+1, noisy, Inconclusive},
		{-1, clearNegative, Supported},
		{-1, clearPositive, Contradicted},
		{-1, nearZero, equivalent},
		{-1, noisy, Inconclusive},
		{0, nearZero, Supported},
		{0, clearPositive, Contradicted},
		{0, clearNegative, Contradicted},
		{0, noisy, Inconclusive},
	} {
		p := testPrereg()
		p.Hypotheses[0].Sign = c.sign
		ds, err := p.Decide(map[string][]float64{"p": c.d})
		if err != nil {
			t.Fatal(err)
		}
		d := ds[0]
		if d.Verdict != c.want || !IsPreregVerdict(d.Verdict, p.Margin) {
			t.Errorf("sign %+d, diffs %v: %q, want %q (%+v)", c.sign, c.d, d.Verdict, c.want, d)
		}
		if d.FamilySize != 1 || d.PAdj != d.P || d.TOSTPAdj != d.TOSTP {
			t.Errorf("primary family adjusted: %+v", d)
		}
	}
}

// The numbers in a Decision are those of PairedT, PairedTOST, Holm and
// PowerT/PowerTOST at α over the family size.
func TestDecideNumbers(t *testing.T) {
	p := testPrereg(Hypothesis{ID: "S1", Endpoint: "s1", Sign: -1}, Hypothesis{ID: "S2", Endpoint: "s2", Sign: 0})
	data := map[string][]float64{"p": borderline, "s1": noisy, "s2": nearZero}
	ds, err := p.Decide(data)
	if err != nil {
		t.Fatal(err)
	}
	tp := make([]float64, 3)
	qp := make([]float64, 3)
	for i, h := range p.Hypotheses {
		d := ds[i]
		tt, _ := PairedT(data[h.Endpoint], TwoSided, 0.05)
		e, _ := PairedTOST(data[h.Endpoint], 0.1, 0.05)
		if d.Hypothesis != h || d.N != 6 || d.Mean != tt.Mean || d.SD != tt.SD || d.Lo != tt.Lo || d.Hi != tt.Hi ||
			d.T != tt.T || d.P != tt.P || d.TOSTP != e.P || d.EqLo != e.Lo || d.EqHi != e.Hi || d.Margin != p.Margin {
			t.Errorf("%s: %+v, want t %+v and TOST %+v", h.ID, d, tt, e)
		}
		tp[i], qp[i] = tt.P, e.P
		k := 1
		if h.Family == Secondary {
			k = 2
		}
		pw, _ := PowerT(0.2, tt.SD, 6, 0.05/float64(k), TwoSided)
		pe, _ := PowerTOST(0, tt.SD, 6, 0.05/float64(k), 0.1)
		if d.FamilySize != k || d.Power != pw || d.PowerTOST != pe {
			t.Errorf("%s: family %d, power %v / %v, want %d, %v / %v", h.ID, d.FamilySize, d.Power, d.PowerTOST, k, pw, pe)
		}
	}
	sa, _ := Holm(tp[1:])
	sq, _ := Holm(qp[1:])
	for j := range 2 {
		if ds[1+j].PAdj != sa[j] || ds[1+j].TOSTPAdj != sq[j] {
			t.Errorf("secondary %d: adjusted %v / %v, want %v / %v", j, ds[1+j].PAdj, ds[1+j].TOSTPAdj, sa[j], sq[j])
		}
	}
	if ds[0].P < 0.03 || ds[0].P > 0.04 || ds[0].Verdict != Supported {
		t.Errorf("borderline primary: %+v", ds[0])
	}
}

// The Holm case: the same borderline data that support the primary claim
// alone (p ≈ 0.034 < α) are inconclusive as two of three secondary
// endpoints (Holm: the clear third endpoint's p is multiplied by 3, the
// two tied borderline ones by 2, 2·0.034 > α), and the clear one stays
// supported.
func TestDecideHolm(t *testing.T) {
	p := testPrereg(
		Hypothesis{ID: "S1", Endpoint: "s1", Sign: +1},
		Hypothesis{ID: "S2", Endpoint: "s2", Sign: +1},
		Hypothesis{ID: "S3", Endpoint: "s3", Sign: +1},
	)
	ds, err := p.Decide(map[string][]float64{"p": borderline, "s1": borderline, "s2": borderline, "s3": clearPositive})
	if err != nil {
		t.Fatal(err)
	}
	if ds[0].Verdict != Supported {
		t.Errorf("primary: %+v", ds[0])
	}
	for _, d := range ds[1:3] {
		if d.P >= 0.05 || d.PAdj < 0.05 || d.Verdict != Inconclusive || d.FamilySize != 3 {
			t.Errorf("%s: raw p %v, adjusted %v, %q; want raw < α ≤ adjusted and inconclusive", d.ID, d.P, d.PAdj, d.Verdict)
		}
		if math.Abs(d.PAdj-2*d.P) > 1e-15 {
			t.Errorf("%s: adjusted %v, want 2·%v", d.ID, d.PAdj, d.P)
		}
	}
	if ds[3].Verdict != Supported || ds[3].PAdj != 3*ds[3].P {
		t.Errorf("S3: %+v", ds[3])
	}
}

// Equivalence through Holm on the TOST p-values: a near-zero endpoint is
// "equivalent" alone and stays so when adjusted with a clear one.
func TestDecideEquivalenceFamily(t *testing.T) {
	p := testPrereg(Hypothesis{ID: "S1", Endpoint: "s1", Sign: +1}, Hypothesis{ID: "S2", Endpoint: "s2", Sign: 0})
	ds, err := p.Decide(map[string][]float64{"p": clearPositive, "s1": nearZero, "s2": nearZero})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Supported, EquivalentVerdict(p.Margin), Supported}
	for i, d := range ds {
		if d.Verdict != want[i] {
			t.Errorf("%s: %q, want %q", d.ID, d.Verdict, want[i])
		}
	}
}

func TestDecideErrors(t *testing.T) {
	p := testPrereg(Hypothesis{ID: "S1", Endpoint: "s1", Sign: 0})
	bad := p
	bad.Correction = "none"
	for _, c := range []struct {
		name string
		p    Prereg
		data map[string][]float64
		want string
	}{
		{"missing endpoint", p, map[string][]float64{"p": noisy}, `no differences for endpoint "s1"`},
		{"unknown endpoint", p, map[string][]float64{"p": noisy, "s1": noisy, "x": noisy}, `endpoint "x" has no pre-registered hypothesis`},
		{"short", p, map[string][]float64{"p": noisy, "s1": noisy[:5]}, "5 differences for 6 seeds"},
		{"NaN", p, map[string][]float64{"p": noisy, "s1": {1, 2, 3, 4, 5, math.NaN()}}, "difference 5 is NaN"},
		{"invalid", bad, map[string][]float64{"p": noisy, "s1": noisy}, "correction"},
	} {
		_, err := c.p.Decide(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	// No spread: the power is 1 and the verdict follows the rule.
	ds, err := p.Decide(map[string][]float64{"p": {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, "s1": make([]float64, 6)})
	if err != nil || ds[0].Verdict != Supported || ds[1].Verdict != Supported || ds[0].Power != 1 {
		t.Errorf("constant differences: %+v, %v", ds, err)
	}
}

func ExamplePrereg_Decide() {
	p := Prereg{
		Experiment: "lm",
		Hypotheses: []Hypothesis{
			{ID: "H1", Statement: "neg has a higher perplexity than pos", Endpoint: "neg-pos", Sign: +1, Family: Primary},
			{ID: "H2", Statement: "pos does better than plain Mamba", Endpoint: "pos-none", Sign: -1, Family: Secondary},
			{ID: "H3", Statement: "the two symmetric arms coincide", Endpoint: "symA-symB", Sign: 0, Family: Secondary},
		},
		Seeds:  []int64{101, 102, 103, 104, 105, 106},
		Arms:   []string{"none", "pos", "neg", "symA", "symB"},
		Budget: map[string]any{"steps": 600},
		Alpha:  0.05, Margin: Quantity{0.005, "ppl/byte"}, Effect: Quantity{0.02, "ppl/byte"}, Power: 0.8,
		Correction: "holm",
	}
	ds, err := p.Decide(map[string][]float64{ // test ppl/byte, a − b per seed
		"neg-pos":   {0.041, 0.018, 0.030, 0.026, 0.035, 0.022},
		"pos-none":  {0.034, 0.041, 0.029, 0.036, 0.030, 0.039},
		"symA-symB": {0.0006, -0.0011, 0.0004, -0.0002, 0.0009, -0.0001},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ds {
		fmt.Printf("%s %s: mean %+.4f [%+.4f, %+.4f], p_holm %.2g, TOST p_holm %.2g, power %.2f: %s\n",
			d.ID, d.Family, d.Mean, d.Lo, d.Hi, d.PAdj, d.TOSTPAdj, d.Power, d.Verdict)
	}
	// Output:
	// H1 primary: mean +0.0287 [+0.0198, +0.0376], p_holm 0.00042, TOST p_holm 1, power 0.99: supported
	// H2 secondary: mean +0.0348 [+0.0298, +0.0399], p_holm 2.1e-05, TOST p_holm 1, power 1.00: contradicted
	// H3 secondary: mean +0.0001 [-0.0007, +0.0008], p_holm 0.79, TOST p_holm 1.3e-05, power 1.00: supported
}
