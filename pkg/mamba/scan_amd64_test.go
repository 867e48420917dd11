//go:build !purego

package mamba

import (
	"math"
	"testing"
)

// asmExpImpls returns the assembly exponentials this CPU can run, each
// applied to a slice whose length is a multiple of 8.
func asmExpImpls() []struct {
	name string
	eval func(dst, src []float32)
} {
	var impls []struct {
		name string
		eval func(dst, src []float32)
	}
	if hasAVX2() {
		impls = append(impls, struct {
			name string
			eval func(dst, src []float32)
		}{"avx2", func(dst, src []float32) { evalBlocks(dst, src, 8, expAVX2) }})
	}
	if hasAVX512() {
		impls = append(impls, struct {
			name string
			eval func(dst, src []float32)
		}{"avx512", func(dst, src []float32) { evalBlocks(dst, src, 16, expAVX512) }})
	}
	return impls
}

// asmKernels returns the assembly row kernels this CPU can run.
func asmKernels() []struct {
	name string
	kind kernelKind
} {
	var ks []struct {
		name string
		kind kernelKind
	}
	if hasAVX2() {
		ks = append(ks, struct {
			name string
			kind kernelKind
		}{"avx2", kernelAVX2})
	}
	if hasAVX512() {
		ks = append(ks, struct {
			name string
			kind kernelKind
		}{"avx512", kernelAVX512})
	}
	return ks
}

// evalBlocks runs a kernel working on multiples of width lanes over src,
// padding the tail.
func evalBlocks(dst, src []float32, width int, kernel func(dst, src *float32, n int)) {
	head := len(src) / width * width
	if head > 0 {
		kernel(&dst[0], &src[0], head)
	}
	if head < len(src) {
		td, ts := make([]float32, width), make([]float32, width)
		copy(ts, src[head:])
		kernel(&td[0], &ts[0], width)
		copy(dst[head:], td)
	}
}

// elementwiseKernels lists the assembly prep (Δ, Δu) and gate kernels the CPU
// supports, with their lane count (n must be a multiple of it).
func elementwiseKernels() []struct {
	name  string
	width int
	prep  func(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)
	gate  func(y, u, z *float32, n int, dskip float32, hasD bool)
} {
	type kernel = struct {
		name  string
		width int
		prep  func(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)
		gate  func(y, u, z *float32, n int, dskip float32, hasD bool)
	}
	var ks []kernel
	if hasAVX2() {
		ks = append(ks, kernel{"avx2", 8, prepAVX2, gateAVX2})
	}
	if hasAVX512() {
		ks = append(ks, kernel{"avx512", 16, prepAVX512, gateAVX512})
	}
	return ks
}

// TestPrepSoftplus checks the vector Δ = softplus(delta + bias) and Δ·u of
// the prep kernels against the float64 Softplus, elementwise relative error.
func TestPrepSoftplus(t *testing.T) {
	const bound = 2.5e-7
	for _, k := range elementwiseKernels() {
		var xs []float32
		for x := -120.0; x <= 120; x += 1.0 / 512 {
			xs = append(xs, float32(x))
		}
		xs = append(xs, 0, 1e-30, -1e-30, 1e30, -1e30)
		xs = append(xs, make([]float32, k.width-len(xs)%k.width)...)
		u := make([]float32, len(xs))
		for i := range u {
			u[i] = float32(i%7) - 3.5
		}
		for _, bias := range []float32{0, 0.75} {
			dt := make([]float32, len(xs))
			dtu := make([]float32, len(xs))
			k.prep(&dt[0], &dtu[0], &xs[0], &u[0], len(xs), bias, true)
			var worst float64
			for i, x := range xs {
				want := Softplus(float64(x + bias)) // the kernel adds in float32 too
				got := float64(dt[i])
				if e := math.Abs(got-want) / max(want, 1e-300); !(e <= bound) {
					if !(want < 1e-37 && math.Abs(got-want) < 1e-37) {
						t.Fatalf("%s bias %v: softplus(%v) = %v, want %v (relative error %.3g)", k.name, bias, x, got, want, e)
					}
				} else {
					worst = max(worst, e)
				}
				if dtu[i] != dt[i]*u[i] {
					t.Fatalf("%s: dtu[%d] = %v, want %v", k.name, i, dtu[i], dt[i]*u[i])
				}
			}
			t.Logf("%s bias %v: softplus max relative error %.3g", k.name, bias, worst)
			k.prep(&dt[0], &dtu[0], &xs[0], &u[0], len(xs), bias, false)
			for i, x := range xs {
				if dt[i] != x+bias {
					t.Fatalf("%s no softplus: dt[%d] = %v, want %v", k.name, i, dt[i], x+bias)
				}
			}
		}
	}
}

// TestGate checks y = (y + D u)·SiLU(z) of the gate kernels against the
// float64 SiLU (relative 3e-7; below z ≈ -88.7, e^{-z} overflows float32 and
// the kernels return -0 where the exact value is below 1e-35 in magnitude).
func TestGate(t *testing.T) {
	for _, k := range elementwiseKernels() {
		var zs []float32
		for z := -100.0; z <= 100; z += 1.0 / 64 {
			zs = append(zs, float32(z))
		}
		zs = append(zs, make([]float32, k.width-len(zs)%k.width)...)
		n := len(zs)
		u, y0 := make([]float32, n), make([]float32, n)
		for i := range u {
			u[i] = float32(i%5) - 2
			y0[i] = float32(i%3) - 0.7
		}
		for _, hasD := range []bool{false, true} {
			y := append([]float32(nil), y0...)
			const dskip = 1.5
			k.gate(&y[0], &u[0], &zs[0], n, dskip, hasD)
			for i, z := range zs {
				pre := float64(y0[i])
				if hasD {
					pre += dskip * float64(u[i])
				}
				want := pre * SiLU(float64(z))
				if math.Abs(float64(y[i])-want) > 3e-7*math.Abs(want)+1e-35 {
					t.Fatalf("%s hasD=%v z=%v: y = %v, want %v", k.name, hasD, z, y[i], want)
				}
			}
		}
	}
}

// TestExp2AVX512 checks the base-2 exponential of the AVX-512 row kernel
// (which receives A·log₂e) against math.Exp2, relative error on [-124, 128),
// exactly 0 below -124, +Inf from 128 on, NaN for NaN.
func TestExp2AVX512(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512F")
	}
	const bound = 1.25e-7
	xs := expGrid()
	xs = append(xs, -124, math.Nextafter32(-124, 0), math.Nextafter32(-124, -200), 127.99999, 128, 128.25, 129,
		float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)))
	ys := make([]float32, len(xs))
	evalBlocks(ys, xs, 16, exp2AVX512)
	var worst float64
	for i, x := range xs {
		got, xf := float64(ys[i]), float64(x)
		exact := math.Exp2(xf)
		switch {
		case math.IsNaN(xf):
			if !math.IsNaN(got) {
				t.Errorf("2^NaN = %v", got)
			}
		case math.IsNaN(got):
			t.Fatalf("2^%v = NaN", x)
		case xf < -124:
			if got != 0 {
				t.Fatalf("2^%v = %v, want 0", x, got)
			}
		case xf >= 128:
			if !math.IsInf(got, 1) {
				t.Fatalf("2^%v = %v, want +Inf", x, got)
			}
		default:
			if e := math.Abs(got-exact) / exact; e > worst {
				worst = e
				if e > bound {
					t.Fatalf("2^%v = %v, want %v (relative error %.3g > %.3g)", x, got, exact, e, bound)
				}
			}
		}
	}
	t.Logf("%d points, max relative error %.3g (%.2f × 2⁻²⁴)", len(xs), worst, worst*(1<<24))
}
