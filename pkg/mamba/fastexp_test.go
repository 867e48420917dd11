package mamba

import (
	"math"
	"testing"
)

// fastExpBound is the asserted maximal relative error of the float32
// exponential on [expLo, 88.72], measured against math.Exp in float64
// (2.1 × 2⁻²⁴; it includes the final rounding to float32, up to 2⁻²⁴ ≈ 6e-8
// on its own). Measured: 1.02e-7 for fastExp32, 7.7e-8 for the AVX2 kernel.
const fastExpBound = 1.25e-7

// expImpls lists the implementations of the float32 exp under test: the
// portable fastExp32 and, where the CPU has them, the assembly kernels.
func expImpls() []struct {
	name string
	eval func(dst, src []float32)
} {
	impls := []struct {
		name string
		eval func(dst, src []float32)
	}{{"go", func(dst, src []float32) {
		for i, x := range src {
			dst[i] = fastExp32(x)
		}
	}}}
	return append(impls, asmExpImpls()...)
}

// expGrid returns a dense grid of float32 arguments: every 251st bit pattern
// of both signs (all magnitudes, from denormals to 3e38) plus uniform steps of
// 2⁻¹⁰ across [-90, 90] and the points next to every k·ln2/2.
func expGrid() []float32 {
	var xs []float32
	for b := uint32(0); b < 0x7f800000; b += 251 {
		xs = append(xs, math.Float32frombits(b), -math.Float32frombits(b))
	}
	for x := -90.0; x <= 90; x += 1.0 / 1024 {
		xs = append(xs, float32(x))
	}
	for k := -260; k <= 260; k++ {
		c := float32(float64(k) * math.Ln2 / 2)
		xs = append(xs, math.Nextafter32(c, -100), c, math.Nextafter32(c, 100))
	}
	return xs
}

func TestFastExp32(t *testing.T) {
	xs := expGrid()
	ys := make([]float32, len(xs))
	for _, impl := range expImpls() {
		impl.eval(ys, xs)
		var worst float64
		var worstX float32
		for i, x := range xs {
			got, xf := float64(ys[i]), float64(x)
			exact := math.Exp(xf)
			switch {
			case math.IsNaN(got):
				t.Fatalf("%s: exp(%v) = NaN", impl.name, x)
			case xf < expLo:
				if got != 0 {
					t.Fatalf("%s: exp(%v) = %v, want 0 below expLo", impl.name, x, got)
				}
			case float32(exact) > math.MaxFloat32 || xf > 88.7228:
				// Overflow, or within 4e-5 of it: +Inf or a correctly
				// rounded large value.
				if !math.IsInf(got, 1) && math.Abs(got-exact) > fastExpBound*exact {
					t.Fatalf("%s: exp(%v) = %v, want +Inf or %v", impl.name, x, got, exact)
				}
			default:
				if e := math.Abs(got-exact) / exact; e > worst {
					worst, worstX = e, x
				}
			}
		}
		if worst > fastExpBound {
			t.Errorf("%s: max relative error %.3g at x = %v, bound %.3g", impl.name, worst, worstX, fastExpBound)
		}
		t.Logf("%s: %d points, max relative error %.3g (%.2f × 2⁻²⁴) at x = %v", impl.name, len(xs), worst, worst*(1<<24), worstX)
	}
}

func TestFastExp32Special(t *testing.T) {
	inf := float32(math.Inf(1))
	for _, impl := range expImpls() {
		for i, test := range []struct {
			x, want float32
		}{
			{0, 1},
			{float32(math.Copysign(0, -1)), 1},
			{1e-30, 1},
			{-1e-30, 1},
			{-86.5, 0},
			{-87.4, 0},
			{-104, 0},
			{-1e30, 0},
			{-inf, 0},
			{89, inf},
			{1e30, inf},
			{inf, inf},
		} {
			src := make([]float32, 8)
			for j := range src {
				src[j] = test.x
			}
			dst := make([]float32, 8)
			impl.eval(dst, src)
			if dst[0] != test.want {
				t.Errorf("%s case %d: exp(%v) = %v, want %v", impl.name, i, test.x, dst[0], test.want)
			}
		}
		src := []float32{float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0}
		dst := make([]float32, 8)
		impl.eval(dst, src)
		if !math.IsNaN(float64(dst[0])) {
			t.Errorf("%s: exp(NaN) = %v, want NaN", impl.name, dst[0])
		}
	}
}
