package experiment

import (
	"math"
	"testing"
)

// Three sets of paired differences the reference values below are for.
var (
	refD1 = []float64{0.10, 0.10, -0.05, 0.20, 0.10}
	refD2 = []float64{-0.031, -0.012, -0.044, -0.020, -0.027, -0.036, -0.009, -0.025}
	refD3 = []float64{1.2, -0.4, 0.3, 0.8, -0.1, 0.5}
)

func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// Reference values from testdata/stats_ref.py (scipy 1.10.1, mpmath 1.3.0):
//
//	r = scipy.stats.ttest_1samp(d, 0, alternative=alt); r.statistic, r.pvalue
//	interval: mean ∓ t_q·scipy.stats.sem(d), t_q by mpmath (scipy 1.10.1's
//	t.ppf, and so r.confidence_interval, is off by ≈ 5e-9 relative)
func TestPairedTScipy(t *testing.T) {
	for _, c := range []struct {
		name   string
		d      []float64
		alt    Alternative
		t, p   float64
		lo, hi float64
	}{
		{"d1", refD1, TwoSided, 2.25, 0.08764517650339462, -0.02105780420791173, 0.20105780420791175},
		{"d1", refD1, Greater, 2.25, 0.04382258825169731, 0.004726128546934036, math.Inf(1)},
		{"d1", refD1, Less, 2.25, 0.9561774117483026, math.Inf(-1), 0.175273871453066},
		{"d2", refD2, TwoSided, -6.127006298802624, 0.0004782048057632938, -0.03534133449110372, -0.01565866550889628},
		{"d2", refD2, Greater, -6.127006298802624, 0.9997608975971184, -0.03338505055711083, math.Inf(1)},
		{"d2", refD2, Less, -6.127006298802624, 0.0002391024028816469, math.Inf(-1), -0.017614949442889175},
		{"d3", refD3, TwoSided, 1.60638968027003, 0.16909749264620869, -0.23008551251915366, 0.9967521791858203},
		{"d3", refD3, Greater, 1.60638968027003, 0.08454874632310434, -0.09751836738713854, math.Inf(1)},
		{"d3", refD3, Less, 1.60638968027003, 0.9154512536768957, math.Inf(-1), 0.8641850340538051},
	} {
		r, err := PairedT(c.d, c.alt, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if !near(r.T, c.t, 1e-12) || !near(r.P, c.p, 1e-12) || !near(r.Lo, c.lo, 1e-12) || !near(r.Hi, c.hi, 1e-12) ||
			r.DF != float64(len(c.d)-1) || r.N != len(c.d) {
			t.Errorf("%s %v: t %.15g p %.15g [%.15g, %.15g] df %v, want t %.15g p %.15g [%.15g, %.15g]",
				c.name, c.alt, r.T, r.P, r.Lo, r.Hi, r.DF, c.t, c.p, c.lo, c.hi)
		}
	}
}

// The two-sided interval agrees with PairedDiff's; the one-sided p-values
// add to 1 and the two-sided one is twice the smaller.
func TestPairedTInvariants(t *testing.T) {
	for _, d := range [][]float64{refD1, refD2, refD3} {
		two, _ := PairedT(d, TwoSided, 0.05)
		gt, _ := PairedT(d, Greater, 0.05)
		lt, _ := PairedT(d, Less, 0.05)
		pd, _ := PairedDiff(d, make([]float64, len(d)))
		if !near(two.Lo, pd.Lo, 1e-12) || !near(two.Hi, pd.Hi, 1e-12) || !near(two.SD, pd.SD, 1e-12) {
			t.Errorf("interval [%v, %v], PairedDiff's [%v, %v]", two.Lo, two.Hi, pd.Lo, pd.Hi)
		}
		if !near(gt.P+lt.P, 1, 1e-12) || !near(two.P, 2*math.Min(gt.P, lt.P), 1e-12) {
			t.Errorf("p-values %v / %v / %v", two.P, gt.P, lt.P)
		}
	}
}

func TestPairedTDegenerate(t *testing.T) {
	zero, err := PairedT([]float64{0, 0, 0}, TwoSided, 0.05)
	if err != nil || zero.T != 0 || zero.P != 1 || zero.Lo != 0 || zero.Hi != 0 {
		t.Errorf("all-zero differences: %+v, %v", zero, err)
	}
	same, err := PairedT([]float64{0.5, 0.5, 0.5}, TwoSided, 0.05)
	if err != nil || !math.IsInf(same.T, 1) || same.P != 0 || same.Lo != 0.5 {
		t.Errorf("constant differences: %+v, %v", same, err)
	}
	less, _ := PairedT([]float64{0.5, 0.5, 0.5}, Less, 0.05)
	if less.P != 1 {
		t.Errorf("constant positive differences, alternative less: p %v", less.P)
	}
	for _, bad := range []struct {
		d     []float64
		alt   Alternative
		alpha float64
	}{
		{[]float64{1}, TwoSided, 0.05},
		{[]float64{1, math.NaN()}, TwoSided, 0.05},
		{[]float64{1, math.Inf(1)}, TwoSided, 0.05},
		{[]float64{1, 2}, TwoSided, 0},
		{[]float64{1, 2}, TwoSided, 1},
		{[]float64{1, 2}, Alternative(7), 0.05},
	} {
		if _, err := PairedT(bad.d, bad.alt, bad.alpha); err == nil {
			t.Errorf("PairedT(%v, %v, %v) accepted", bad.d, bad.alt, bad.alpha)
		}
	}
}
