package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Reference values from testdata/stats_ref.py (scipy 1.10.1, mpmath 1.3.0):
// power_t is scipy.stats.nct.sf(c, n−1, δ√n/σ) (+ scipy.stats.nct.cdf(−c, …)
// two-sided) with c the t quantile by mpmath.
func TestPowerTScipy(t *testing.T) {
	for _, c := range []struct {
		delta, sigma float64
		n            int
		alpha        float64
		alt          Alternative
		want         float64
	}{
		{1, 1, 5, 0.05, TwoSided, 0.40138991737179536},
		{0.5, 1, 20, 0.05, TwoSided, 0.5645044184390208},
		{1, 1, 2, 0.05, TwoSided, 0.09280915505633605},
		{0.3, 1, 100, 0.05, Greater, 0.9089875037344206},
		{-0.3, 1, 100, 0.05, Less, 0.9089875037344206},
		{-0.3, 1, 100, 0.05, Greater, 1.876677974022023e-06},
		{1.7, 1, 5, 0.05, TwoSided, 0.8077806407226401},
		{0.1, 1, 1000, 0.01, TwoSided, 0.7194460227945852},
		{0.02, 0.05, 15, 0.05, TwoSided, 0.3031649284625543},
		{2.5, 0.7, 3, 0.05, TwoSided, 0.8529124024316587},
		{0, 1, 10, 0.05, TwoSided, 0.05000000000000004},
		// One pair of degrees of freedom and a small α: the integrand turns
		// over a width of 1/637 in w (an earlier panelling was off by 5e-5).
		{5, 1, 2, 0.001, TwoSided, 0.008862083390554469},
		{3, 1, 2, 0.0001, TwoSided, 0.0005317367083892013},
		{0.05, 1, 3, 0.001, TwoSided, 0.001007488725681174},
	} {
		got, err := PowerT(c.delta, c.sigma, c.n, c.alpha, c.alt)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.want) > 1e-10*math.Max(c.want, 1e-3) {
			t.Errorf("PowerT(%v, %v, %d, %v, %v) = %.15g, want %.15g", c.delta, c.sigma, c.n, c.alpha, c.alt, got, c.want)
		}
	}
}

// Reference values from testdata/stats_ref.py: scipy.integrate.quad over
// the chi-squared density of (n−1)S²/σ² of the normal probability that
// the mean falls inside ±(m − c·S/√n).
func TestPowerTOSTScipy(t *testing.T) {
	for _, c := range []struct {
		delta, sigma float64
		n            int
		alpha, m     float64
		want         float64
	}{
		{0, 1, 10, 0.05, 1, 0.795207266705899},
		{0.2, 1, 20, 0.05, 0.5, 0.2797689018162586},
		{0, 1, 3, 0.05, 1, 0.1273384275081975},
		{0.1, 0.5, 50, 0.05, 0.2, 0.39565073886268015},
		{0, 0.03, 15, 0.05, 0.02, 0.5823958358496002},
		{-0.3, 1, 40, 0.05, 0.5, 0.34343945574212653},
	} {
		got, err := PowerTOST(c.delta, c.sigma, c.n, c.alpha, c.m)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.want) > 1e-10 {
			t.Errorf("PowerTOST(%v, %v, %d, %v, %v) = %.15g, want %.15g", c.delta, c.sigma, c.n, c.alpha, c.m, got, c.want)
		}
	}
}

// Reference values from testdata/stats_ref.py: the smallest n whose
// power_t reaches the target (counted up from 2), and brentq on power_t
// for the detectable effect.
func TestMinPairsScipy(t *testing.T) {
	for _, c := range []struct {
		delta, sigma, alpha, power float64
		alt                        Alternative
		want                       int
	}{
		{0.5, 1, 0.05, 0.8, TwoSided, 34},
		{1, 1, 0.05, 0.8, TwoSided, 10},
		{0.2, 1, 0.05, 0.9, TwoSided, 265},
		{0.5, 1, 0.05, 0.8, Greater, 27},
		{0.025, 0.03, 0.05, 0.8, TwoSided, 14},
		{3, 1, 0.05, 0.8, TwoSided, 4},
		{-0.5, 1, 0.05, 0.8, TwoSided, 34},
		{-0.5, 1, 0.05, 0.8, Less, 27},
		{30, 1, 0.05, 0.8, TwoSided, 2},
	} {
		got, err := MinPairs(c.delta, c.sigma, c.alpha, c.power, c.alt)
		if err != nil || got != c.want {
			t.Errorf("MinPairs(%v, %v, %v, %v, %v) = %d, %v; want %d", c.delta, c.sigma, c.alpha, c.power, c.alt, got, err, c.want)
		}
	}
	for _, c := range []struct {
		n                   int
		sigma, alpha, power float64
		alt                 Alternative
		want                float64
	}{
		{5, 1, 0.05, 0.8, TwoSided, 1.6819969659555545},
		{15, 0.03, 0.05, 0.8, TwoSided, 0.023340677093570433},
		{30, 1, 0.05, 0.9, Greater, 0.5472628597028892},
		{30, 1, 0.05, 0.9, Less, -0.5472628597028892},
		{2, 1, 0.05, 0.8, TwoSided, 11.549888435882362},
	} {
		got, err := MinDetectable(c.n, c.sigma, c.alpha, c.power, c.alt)
		if err != nil || math.Abs(got-c.want) > 1e-8*math.Abs(c.want) {
			t.Errorf("MinDetectable(%d, %v, %v, %v, %v) = %.15g, %v; want %.15g", c.n, c.sigma, c.alpha, c.power, c.alt, got, err, c.want)
		}
	}
}

// Power rises with n and with |δ|, is symmetric in δ two-sided, is α at
// δ = 0; TOST power falls as |δ| grows and rises with the margin.
func TestPowerInvariants(t *testing.T) {
	for _, alt := range []Alternative{TwoSided, Greater} {
		prev := 0.0
		for n := 2; n <= 60; n += 3 {
			p, _ := PowerT(0.4, 1, n, 0.05, alt)
			if p <= prev {
				t.Errorf("%v: power %v at n = %d after %v", alt, p, n, prev)
			}
			prev = p
		}
		prev = 0
		for _, d := range []float64{0.01, 0.1, 0.3, 0.6, 1, 2} {
			p, _ := PowerT(d, 1, 8, 0.05, alt)
			if p <= prev {
				t.Errorf("%v: power %v at δ = %v after %v", alt, p, d, prev)
			}
			prev = p
		}
		p0, _ := PowerT(0, 2.5, 7, 0.05, alt)
		if math.Abs(p0-0.05) > 1e-12 {
			t.Errorf("%v: power %v at δ = 0, want α", alt, p0)
		}
	}
	a, _ := PowerT(0.7, 1, 9, 0.05, TwoSided)
	b, _ := PowerT(-0.7, 1, 9, 0.05, TwoSided)
	if math.Abs(a-b) > 1e-14 {
		t.Errorf("two-sided power %v at +δ, %v at −δ", a, b)
	}
	prev := 1.0
	for _, d := range []float64{0, 0.1, 0.2, 0.4, 0.8} {
		p, _ := PowerTOST(d, 1, 30, 0.05, 0.8)
		q, _ := PowerTOST(-d, 1, 30, 0.05, 0.8)
		if p > prev || math.Abs(p-q) > 1e-14 {
			t.Errorf("TOST power %v at δ = %v (%v at −δ) after %v", p, d, q, prev)
		}
		prev = p
	}
	prev = 0
	for _, m := range []float64{0.2, 0.4, 0.8, 1.6} {
		p, _ := PowerTOST(0, 1, 30, 0.05, m)
		if p <= prev {
			t.Errorf("TOST power %v at margin %v after %v", p, m, prev)
		}
		prev = p
	}
	// With n = 2 and a margin much smaller than σ, c·S/√2 ≥ m almost
	// surely: power tiny but never negative.
	if p, _ := PowerTOST(0, 1, 2, 0.05, 0.01); !(p >= 0 && p < 1e-3) {
		t.Errorf("TOST power at n = 2, m = 0.01σ: %v", p)
	}
	// MinPairs is the first n that reaches the power; MinDetectable
	// reaches it exactly.
	n, _ := MinPairs(0.3, 1, 0.05, 0.8, TwoSided)
	at, _ := PowerT(0.3, 1, n, 0.05, TwoSided)
	below, _ := PowerT(0.3, 1, n-1, 0.05, TwoSided)
	if at < 0.8 || below >= 0.8 {
		t.Errorf("MinPairs = %d: power %v there, %v one below", n, at, below)
	}
	d, _ := MinDetectable(12, 0.5, 0.05, 0.8, TwoSided)
	if p, _ := PowerT(d, 0.5, 12, 0.05, TwoSided); math.Abs(p-0.8) > 1e-9 {
		t.Errorf("MinDetectable = %v has power %v", d, p)
	}
}

func TestPowerErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
	}{
		{"n 1", second(PowerT(1, 1, 1, 0.05, TwoSided))},
		{"σ 0", second(PowerT(1, 0, 5, 0.05, TwoSided))},
		{"δ NaN", second(PowerT(math.NaN(), 1, 5, 0.05, TwoSided))},
		{"α 0", second(PowerT(1, 1, 5, 0, TwoSided))},
		{"alternative", second(PowerT(1, 1, 5, 0.05, Alternative(9)))},
		{"TOST margin 0", second(PowerTOST(0, 1, 5, 0.05, 0))},
		{"TOST α ½", second(PowerTOST(0, 1, 5, 0.5, 1))},
		{"MinPairs power 1", second(MinPairs(1, 1, 0.05, 1, TwoSided))},
		{"MinPairs wrong side", second(MinPairs(-1, 1, 0.05, 0.8, Greater))},
		{"MinPairs δ 0", second(MinPairs(0, 1, 0.05, 0.8, TwoSided))},
		{"MinDetectable power ≤ α", second(MinDetectable(10, 1, 0.05, 0.04, TwoSided))},
		{"MinDetectable n 1", second(MinDetectable(1, 1, 0.05, 0.8, TwoSided))},
	} {
		if c.err == nil {
			t.Errorf("%s accepted", c.name)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// A seeded Monte Carlo of the tests themselves: the fraction of simulated
// experiments in which PairedT (resp. PairedTOST) rejects at α matches the
// exact power within 4 binomial standard errors.
func TestPowerMonteCarlo(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 2))
	const reps = 10000
	for _, c := range []struct {
		delta, sigma float64
		n            int
		alt          Alternative
		tost         bool
		m            float64
	}{
		{0.8, 1, 6, TwoSided, false, 0},
		{0.05, 0.1, 12, Greater, false, 0},
		{0.1, 1, 20, TwoSided, true, 0.6},
	} {
		d := make([]float64, c.n)
		hits := 0
		for range reps {
			for i := range d {
				d[i] = c.delta + c.sigma*r.NormFloat64()
			}
			var p float64
			if c.tost {
				e, _ := PairedTOST(d, c.m, 0.05)
				p = e.P
			} else {
				tt, _ := PairedT(d, c.alt, 0.05)
				p = tt.P
			}
			if p < 0.05 {
				hits++
			}
		}
		var want float64
		if c.tost {
			want, _ = PowerTOST(c.delta, c.sigma, c.n, 0.05, c.m)
		} else {
			want, _ = PowerT(c.delta, c.sigma, c.n, 0.05, c.alt)
		}
		got := float64(hits) / reps
		if se := math.Sqrt(want * (1 - want) / reps); math.Abs(got-want) > 4*se {
			t.Errorf("%+v: simulated power %.4f, exact %.4f (SE %.4f)", c, got, want, se)
		}
	}
}

func ExampleMinPairs() {
	// Pairs needed to detect an effect of half the SD of the paired
	// differences with 80 % power, two-sided t-test at α = 0.05.
	n, _ := MinPairs(0.5, 1, 0.05, 0.8, TwoSided)
	fmt.Println(n)
	// The smallest effect 5 pairs detect with 80 % power, in SDs.
	d, _ := MinDetectable(5, 1, 0.05, 0.8, TwoSided)
	fmt.Printf("%.3f\n", d)
	// Output:
	// 34
	// 1.682
}
