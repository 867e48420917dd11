package experiment

import (
	"fmt"
	"math"
	"testing"
)

func TestSignTestClosedForms(t *testing.T) {
	for _, test := range []struct {
		pos, neg int
		want     float64
	}{
		{5, 0, 2.0 / 32},                // all five seeds agree
		{0, 5, 2.0 / 32},                // symmetric
		{4, 1, 2 * 6.0 / 32},            // 2·(C(5,0)+C(5,1))/2^5
		{7, 3, 2 * 176.0 / 1024},        // 2·(1+10+45+120)/2^10
		{3, 3, 1},                       // capped
		{0, 0, 1},                       // no nonzero difference
		{10, 0, 2.0 / 1024},             //
		{20, 5, 2 * 68406.0 / 33554432}, // 2·Σ_{k≤5} C(25,k)/2^25
	} {
		if got := SignTest(test.pos, test.neg); math.Abs(got-test.want) > 1e-12*math.Max(1, test.want) && math.Abs(got-test.want) > 1e-12 {
			t.Errorf("SignTest(%d, %d) = %.15g, want %.15g", test.pos, test.neg, got, test.want)
		}
	}
}

// The interval by hand: n = 5, t_{0.975,4} = 2.7764451051977987.
func TestPairedDiffInterval(t *testing.T) {
	a := []float64{5.10, 5.20, 5.05, 5.30, 5.15}
	b := []float64{5.00, 5.10, 5.10, 5.10, 5.05}
	p, err := PairedDiff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	d := []float64{0.10, 0.10, -0.05, 0.20, 0.10}
	mean := (0.10 + 0.10 - 0.05 + 0.20 + 0.10) / 5
	var ss float64
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / 4)
	half := 2.7764451051977987 * sd / math.Sqrt(5)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"mean", p.Mean, mean}, {"sd", p.SD, sd}, {"lo", p.Lo, mean - half}, {"hi", p.Hi, mean + half}, {"sign p", p.SignP, 0.375}} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
	if p.Pos != 4 || p.Neg != 1 || p.N != 5 {
		t.Errorf("counts %d/%d of %d", p.Pos, p.Neg, p.N)
	}
	if _, err := PairedDiff(a, b[:4]); err == nil {
		t.Error("unequal lengths accepted")
	}
	if _, err := PairedDiff([]float64{math.NaN()}, []float64{1}); err == nil {
		t.Error("NaN accepted")
	}
	one, err := PairedDiff([]float64{2}, []float64{1})
	if err != nil || !math.IsNaN(one.Lo) || Decide("x", one, 1).Outcome != Inconclusive {
		t.Errorf("one seed: %+v, %v; want no interval and an inconclusive verdict", one, err)
	}
}

func TestDecide(t *testing.T) {
	for _, test := range []struct {
		lo, hi  float64
		claimed int
		want    string
	}{
		{0.1, 0.3, 1, Supported},
		{0.1, 0.3, -1, NotSupported},
		{-0.3, -0.1, -1, Supported},
		{-0.1, 0.3, 1, Inconclusive},
		{-0.1, 0.3, -1, Inconclusive},
		{0, 0.3, 1, Inconclusive}, // touching 0 does not exclude it
	} {
		p := Paired{N: 5, Mean: (test.lo + test.hi) / 2, Lo: test.lo, Hi: test.hi}
		if got := Decide("claim", p, test.claimed).Outcome; got != test.want {
			t.Errorf("CI [%v, %v], claimed sign %d: %q, want %q", test.lo, test.hi, test.claimed, got, test.want)
		}
	}
}

func ExampleDecide() {
	neg := []float64{5.161, 5.149, 5.170, 5.158, 5.152} // test ppl per byte, seeds 1–5
	pos := []float64{5.120, 5.131, 5.150, 5.119, 5.140}
	p, _ := PairedDiff(neg, pos)
	v := Decide("the convergent scenario (neg) has a higher perplexity than pos", p, +1)
	fmt.Println(v.Outcome)
	fmt.Println(v.Evidence)
	// Output:
	// supported
	// mean paired difference +0.0260, 95 % CI [+0.0097, +0.0423] over 5 pairs (5 above 0, 0 below; sign test p = 0.0625)
}

func TestScaled(t *testing.T) {
	p, err := PairedDiff([]float64{0.71, 0.69, 0.72}, []float64{0.70, 0.70, 0.70})
	if err != nil {
		t.Fatal(err)
	}
	q := p.Scaled(100)
	if math.Abs(q.Mean-100*p.Mean) > 1e-12 || math.Abs(q.Lo-100*p.Lo) > 1e-12 || q.SignP != p.SignP || q.Pos != p.Pos || &q.Diffs[0] == &p.Diffs[0] {
		t.Fatalf("scaled %+v from %+v", q, p)
	}
	if Decide("c", q, +1).Outcome != Decide("c", p, +1).Outcome {
		t.Error("scaling changed the verdict")
	}
}

// The evidence writes mean and interval with the decimals that give the
// interval three significant digits, explicit signs and typographic minus.
func TestEvidenceFormat(t *testing.T) {
	for _, c := range []struct {
		p    Paired
		want string
	}{
		{Paired{Mean: -1.5612, Lo: -2.813, Hi: -0.3072, N: 5, Neg: 5, SignP: 0.0625},
			"mean paired difference −1.56, 95 % CI [−2.81, −0.31] over 5 pairs (0 above 0, 5 below; sign test p = 0.0625)"},
		{Paired{Mean: 0.00001, Lo: -0.0282, Hi: 0.0189, N: 5, Pos: 2, Neg: 3, SignP: 1},
			"mean paired difference 0.0000, 95 % CI [−0.0282, +0.0189] over 5 pairs (2 above 0, 3 below; sign test p = 1)"},
		{Paired{Mean: 3, Lo: math.NaN(), Hi: math.NaN(), N: 1, Pos: 1, SignP: 1},
			"mean paired difference +3.000, 95 % CI [n/a, n/a] over 1 pairs (1 above 0, 0 below; sign test p = 1)"},
	} {
		if got := Decide("c", c.p, +1).Evidence; got != c.want {
			t.Errorf("evidence\n got %s\nwant %s", got, c.want)
		}
	}
}
