package safetensors

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestF16KnownValues(t *testing.T) {
	for i, test := range []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},
		{0x0400, math.Ldexp(1, -14)},    // smallest normal
		{0x0001, math.Ldexp(1, -24)},    // smallest subnormal
		{0x03ff, math.Ldexp(1023, -24)}, // largest subnormal
		{0x7c00, math.Inf(1)},
		{0xfc00, math.Inf(-1)},
	} {
		got := f16ToF32(test.bits)
		if float64(got) != test.want {
			t.Errorf("case %d: f16ToF32(%#04x) = %v, want %v", i, test.bits, got, test.want)
		}
		if back := f32ToF16(got); back != test.bits {
			t.Errorf("case %d: f32ToF16(%v) = %#04x, want %#04x", i, got, back, test.bits)
		}
	}
	if f := f16ToF32(0x7e00); !math.IsNaN(float64(f)) {
		t.Errorf("f16ToF32(0x7e00) = %v, want NaN", f)
	}
	if h := f16ToF32(0x8000); h != 0 || !math.Signbit(float64(h)) {
		t.Errorf("f16ToF32(0x8000) = %v, want -0", h)
	}
}

// Every one of the 65536 half-precision patterns survives the round trip
// through float32 bit for bit, NaN payloads included.
func TestF16RoundTripExhaustive(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		if got := f32ToF16(f16ToF32(uint16(h))); got != uint16(h) {
			t.Fatalf("f32ToF16(f16ToF32(%#04x)) = %#04x", h, got)
		}
		if got := f32ToBF16(bf16ToF32(uint16(h))); got != uint16(h) {
			t.Fatalf("f32ToBF16(bf16ToF32(%#04x)) = %#04x", h, got)
		}
	}
}

// f32ToF16 rounds to nearest, ties to even: the result is at least as close
// as both neighbouring halves, and on a tie its last bit is 0. The
// neighbours are decoded with f16ToF32 (checked exhaustively above) and the
// distances taken in float64, where they are exact.
func TestF16RoundingIsNearestEven(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	check := func(x float32) {
		h := f32ToF16(x)
		if h&0x7c00 == 0x7c00 { // rounded to Inf: x must be beyond the rounding threshold 65520
			if math.Abs(float64(x)) < 65520 {
				t.Fatalf("f32ToF16(%v) = %#04x (Inf), want finite", x, h)
			}
			return
		}
		d := math.Abs(float64(x) - float64(f16ToF32(h)))
		for _, nb := range []uint16{h + 1, h - 1} {
			if nb&0x7fff >= 0x7c00 || (h&0x7fff == 0 && nb == h-1) {
				continue
			}
			dn := math.Abs(float64(x) - float64(f16ToF32(nb)))
			if dn < d || (dn == d && h&1 == 1) {
				t.Fatalf("f32ToF16(%v) = %#04x (distance %g), but %#04x is at distance %g", x, h, d, nb, dn)
			}
		}
	}
	for range 200000 {
		// Log-uniform magnitudes from 2^-30 to 2^17 cover zero flush, subnormals, normals and overflow.
		x := float32(math.Ldexp(1+rng.Float64(), rng.IntN(48)-30))
		if rng.IntN(2) == 0 {
			x = -x
		}
		check(x)
	}
	// Exact ties between neighbouring halves, which random draws never hit.
	for _, x := range []float32{1 + 1.0/2048, 1 + 3.0/2048, float32(math.Ldexp(1, -25)), float32(math.Ldexp(3, -25)), 65519, 65520} {
		check(x)
	}
	if h := f32ToF16(65520); h != 0x7c00 {
		t.Errorf("f32ToF16(65520) = %#04x, want Inf (ties to even past the largest half)", h)
	}
}

func TestBF16RoundingIsNearestEven(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for range 200000 {
		x := math.Float32frombits(rng.Uint32())
		if math.IsNaN(float64(x)) {
			if h := f32ToBF16(x); !math.IsNaN(float64(bf16ToF32(h))) {
				t.Fatalf("f32ToBF16(NaN %#08x) = %#04x, not a NaN", math.Float32bits(x), h)
			}
			continue
		}
		h := f32ToBF16(x)
		d := math.Abs(float64(x) - float64(bf16ToF32(h)))
		if math.IsInf(float64(bf16ToF32(h)), 0) {
			continue // overflow past the largest bfloat16
		}
		for _, nb := range []uint16{h + 1, h - 1} {
			v := float64(bf16ToF32(nb))
			if math.IsNaN(v) || math.IsInf(v, 0) || (h&0x7fff == 0 && nb == h-1) {
				continue
			}
			if dn := math.Abs(float64(x) - v); dn < d || (dn == d && h&1 == 1) {
				t.Fatalf("f32ToBF16(%v) = %#04x (distance %g), but %#04x is at distance %g", x, h, d, nb, dn)
			}
		}
	}
}
