package experiment

import (
	"math"
	"testing"
)

// Reference values from testdata/stats_ref.py (scipy 1.10.1), the two
// one-sided tests written out:
//
//	pl = scipy.stats.ttest_1samp(d, -m, alternative='greater').pvalue
//	pu = scipy.stats.ttest_1samp(d, m, alternative='less').pvalue
//	max(pl, pu)
func TestPairedTOSTScipy(t *testing.T) {
	for _, c := range []struct {
		name      string
		d         []float64
		m         float64
		pl, pu, p float64
	}{
		{"d1", refD1, 0.25, 0.000525289035394625, 0.008065044950046271, 0.008065044950046271},
		{"d1", refD1, 0.1, 0.004485451249299009, 0.4074510057295907, 0.4074510057295907},
		{"d2", refD2, 0.05, 0.0003037837669567022, 1.9129992452434422e-07, 0.0003037837669567022},
		{"d2", refD2, 0.02, 0.8860582430402701, 5.92599631777146e-06, 0.8860582430402701},
		{"d3", refD3, 1.0, 0.001076207329453692, 0.024590805046624472, 0.024590805046624472},
	} {
		r, err := PairedTOST(c.d, c.m, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if !near(r.PLower, c.pl, 1e-12) || !near(r.PUpper, c.pu, 1e-12) || !near(r.P, c.p, 1e-12) {
			t.Errorf("%s m=%v: p %.15g / %.15g → %.15g, want %.15g / %.15g → %.15g", c.name, c.m, r.PLower, r.PUpper, r.P, c.pl, c.pu, c.p)
		}
		// P < α exactly when the 90 % interval lies inside (−m, m), and
		// that interval is the two-sided t interval at level 2α.
		if (r.P < 0.05) != (r.Lo > -c.m && r.Hi < c.m) {
			t.Errorf("%s m=%v: p %v but 90 %% interval [%v, %v]", c.name, c.m, r.P, r.Lo, r.Hi)
		}
		two, _ := PairedT(c.d, TwoSided, 0.10)
		if !near(r.Lo, two.Lo, 1e-12) || !near(r.Hi, two.Hi, 1e-12) {
			t.Errorf("%s: TOST interval [%v, %v], 90 %% t interval [%v, %v]", c.name, r.Lo, r.Hi, two.Lo, two.Hi)
		}
	}
}

// A mean outside the margin (or on it) can never be declared equivalent:
// its TOST p-value is at least ½. The p-value falls as the margin widens.
func TestPairedTOSTInvariants(t *testing.T) {
	for _, d := range [][]float64{refD1, refD2, refD3} {
		s, _ := sampleStats(d)
		for _, m := range []float64{math.Abs(s.mean) / 2, math.Abs(s.mean)} {
			r, err := PairedTOST(d, m, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if r.P < 0.5 {
				t.Errorf("mean %v outside margin %v: TOST p %v < ½", s.mean, m, r.P)
			}
		}
		prev := 1.0
		for _, m := range []float64{0.01, 0.03, 0.1, 0.3, 1, 3} {
			r, _ := PairedTOST(d, m, 0.05)
			if r.P > prev+1e-15 {
				t.Errorf("TOST p rose from %v to %v as the margin widened to %v", prev, r.P, m)
			}
			prev = r.P
		}
	}
	zero, err := PairedTOST([]float64{0, 0, 0}, 0.1, 0.05)
	if err != nil || zero.P != 0 {
		t.Errorf("all-zero differences, margin 0.1: %+v, %v", zero, err)
	}
	edge, _ := PairedTOST([]float64{0.5, 0.5, 0.5}, 0.5, 0.05)
	if edge.P != 0.5 {
		t.Errorf("constant differences on the margin: TOST p %v, want ½", edge.P)
	}
	for _, bad := range []struct{ m, alpha float64 }{{0, 0.05}, {-1, 0.05}, {math.Inf(1), 0.05}, {math.NaN(), 0.05}, {1, 0.5}, {1, 0}} {
		if _, err := PairedTOST(refD1, bad.m, bad.alpha); err == nil {
			t.Errorf("PairedTOST(m=%v, α=%v) accepted", bad.m, bad.alpha)
		}
	}
}
