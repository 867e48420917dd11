package render

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestIndexTicksStaySparseAndRound(t *testing.T) {
	for i, test := range []struct {
		min, max   float64
		wantLabels []string
		maxTicks   int
	}{
		{0.5, 6.5, []string{"1", "2", "3", "4", "5", "6"}, 6},
		{80, 1600, []string{"200", "400", "600", "800", "1000", "1200", "1400", "1600"}, 40},
		{1, 16, []string{"1", "3", "5", "7", "9", "11", "13", "15"}, 16},
		{0.5, 12.5, []string{"1", "3", "5", "7", "9", "11"}, 12},
		{1, 50, []string{"1", "10", "20", "30", "40", "50"}, 50},
	} {
		ts := indexTicks{}.Ticks(test.min, test.max)
		var labels []string
		for _, tk := range ts {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if len(ts) > test.maxTicks {
			t.Errorf("test %d: %d ticks, want at most %d", i, len(ts), test.maxTicks)
		}
		if len(labels) != len(test.wantLabels) {
			t.Errorf("test %d: labels %v, want %v", i, labels, test.wantLabels)
			continue
		}
		for k := range labels {
			if labels[k] != test.wantLabels[k] {
				t.Errorf("test %d: labels %v, want %v", i, labels, test.wantLabels)
				break
			}
		}
	}
}

// Linear axes get 1-2-5 steps, every label with the step's decimals and a
// typographic minus, between minRoundLabels and maxRoundLabels labels, all
// inside the range and at multiples of the step.
func TestRoundTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		want     []string
	}{
		{-2.6, 2.6, []string{"−2", "−1", "0", "1", "2"}},
		{0.05, 1.2, []string{"0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}},
		{-0.21, 0.16, []string{"−0.2", "−0.1", "0.0", "0.1"}},
		{-2.3, 2.3, []string{"−2", "−1", "0", "1", "2"}},
		{0, 1000, []string{"0", "200", "400", "600", "800", "1000"}},
		{0.6006, 0.8493, []string{"0.65", "0.70", "0.75", "0.80"}},
	} {
		var got []string
		for _, tk := range (roundTicks{}).Ticks(c.min, c.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("[%v, %v]: labels %q, want %q", c.min, c.max, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		scale := math.Pow(10, float64(rng.IntN(12)-6))
		lo := (rng.Float64()*2 - 1) * scale
		hi := lo + scale*math.Pow(10, rng.Float64()*6-4) // a width of 1e-4 to 100 times the offset's scale
		ts := (roundTicks{}).Ticks(lo, hi)
		var vals []float64
		dec := -1
		for _, tk := range ts {
			if tk.Value < lo-1e-9*(hi-lo) || tk.Value > hi+1e-9*(hi-lo) {
				t.Fatalf("[%v, %v]: tick %v outside", lo, hi, tk.Value)
			}
			if tk.Label == "" {
				continue
			}
			vals = append(vals, tk.Value)
			d := 0
			if k := strings.IndexByte(tk.Label, '.'); k >= 0 {
				d = len(tk.Label) - k - 1
			}
			if dec >= 0 && d != dec {
				t.Fatalf("[%v, %v]: labels with %d and %d decimals", lo, hi, dec, d)
			}
			dec = d
			if strings.Contains(tk.Label, "-") {
				t.Fatalf("[%v, %v]: label %q has an ASCII minus", lo, hi, tk.Label)
			}
		}
		if len(vals) < minRoundLabels || len(vals) > maxRoundLabels {
			t.Fatalf("[%v, %v]: %d labels", lo, hi, len(vals))
		}
		step := vals[1] - vals[0]
		m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9))
		if math.Abs(m-1) > 1e-6 && math.Abs(m-2) > 1e-6 && math.Abs(m-5) > 1e-6 {
			t.Fatalf("[%v, %v]: step %v is not 1, 2 or 5 × 10^k", lo, hi, step)
		}
		for _, v := range vals {
			if q := v / step; math.Abs(q-math.Round(q)) > 1e-6*math.Max(1, math.Abs(q)) {
				t.Fatalf("[%v, %v]: label at %v is not a multiple of %v", lo, hi, v, step)
			}
		}
	}
}
