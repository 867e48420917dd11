package optim

import (
	"math"
	"testing"
)

func TestCosineKnownValues(t *testing.T) {
	c := Cosine{Peak: 1e-3, Min: 1e-4, WarmupInit: 1e-6, Warmup: 10, Total: 100}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		t    int
		want float64
	}{
		{0, 1e-6},                   // warmup_lr_init
		{5, 1e-6 + 5*999e-6/10},     // halfway up the linear warm-up
		{9, 1e-6 + 9*999e-6/10},     // last warm-up step
		{10, 0.0009779754323328191}, // 1e-4 + 4.5e-4 (1 + cos(π/10)), timm without warmup_prefix
		{50, 5.5e-4},                // cos(π/2) = 0: midway between Peak and Min
		{100, 1e-4},                 // end of the cycle
		{1000, 1e-4},                // stays at lr_min
	} {
		if got := c.At(test.t); math.Abs(got-test.want) > 1e-15 {
			t.Errorf("At(%d) = %.17g, want %.17g", test.t, got, test.want)
		}
	}
	// Monotone: up during warm-up, down afterwards.
	for s := 1; s < 120; s++ {
		a, b := c.At(s-1), c.At(s)
		if s <= 9 && !(b > a) || s > 10 && b > a {
			t.Errorf("not monotone at %d: %v -> %v", s, a, b)
		}
	}
}

func TestCosineValidate(t *testing.T) {
	for i, c := range []Cosine{
		{Peak: 0, Total: 10}, {Peak: 1, Min: 2, Total: 10}, {Peak: 1, WarmupInit: -1, Total: 10},
		{Peak: 1, Warmup: 11, Total: 10}, {Peak: 1, Total: 0}, {Peak: math.NaN(), Total: 10},
	} {
		if c.Validate() == nil {
			t.Errorf("case %d: %+v accepted", i, c)
		}
	}
}

// Integral is the plain sum of At, and over a whole cosine without warm-up
// it approaches the closed form n·(Peak + Min)/2 (the cosine averages to 0).
func TestCosineIntegral(t *testing.T) {
	c := Cosine{Peak: 1.5e-3, Min: 1.5e-4, WarmupInit: 1e-6, Warmup: 20, Total: 2000}
	want := 0.0
	for i := range 2000 {
		want += c.At(i)
	}
	if got := c.Integral(2000); got != want {
		t.Fatalf("Integral(2000) = %v, want Σ At = %v", got, want)
	}
	if c.Integral(0) != 0 {
		t.Fatalf("Integral(0) = %v, want 0", c.Integral(0))
	}
	c.Warmup = 0
	closed := 2000 * (c.Peak + c.Min) / 2
	if got := c.Integral(2000); math.Abs(got-closed) > 1e-3*closed {
		t.Fatalf("Integral(2000) without warm-up = %v, want ≈ n(Peak+Min)/2 = %v", got, closed)
	}
}
