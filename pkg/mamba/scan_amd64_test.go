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
	if !hasAVX2() {
		return nil
	}
	return []struct {
		name string
		eval func(dst, src []float32)
	}{{"avx2", func(dst, src []float32) { evalBlocks8(dst, src, expAVX2) }}}
}

// evalBlocks8 runs an 8-lane kernel over src, padding the tail.
func evalBlocks8(dst, src []float32, kernel func(dst, src *float32, n int)) {
	head := len(src) &^ 7
	if head > 0 {
		kernel(&dst[0], &src[0], head)
	}
	if head < len(src) {
		var td, ts [8]float32
		copy(ts[:], src[head:])
		kernel(&td[0], &ts[0], 8)
		copy(dst[head:], td[:])
	}
}

// TestPrepAVX2Softplus checks the vector Δ = softplus(delta + bias) and Δ·u of
// prepAVX2 against the float64 Softplus, elementwise relative error.
func TestPrepAVX2Softplus(t *testing.T) {
	if !hasAVX2() {
		t.Skip("no AVX2+FMA")
	}
	const bound = 2.5e-7
	var xs []float32
	for x := -120.0; x <= 120; x += 1.0 / 512 {
		xs = append(xs, float32(x))
	}
	xs = append(xs, 0, 1e-30, -1e-30, 1e30, -1e30)
	xs = append(xs, make([]float32, 8-len(xs)%8)...)
	u := make([]float32, len(xs))
	for i := range u {
		u[i] = float32(i%7) - 3.5
	}
	for _, bias := range []float32{0, 0.75} {
		dt := make([]float32, len(xs))
		dtu := make([]float32, len(xs))
		prepAVX2(&dt[0], &dtu[0], &xs[0], &u[0], len(xs), bias, true)
		var worst float64
		for i, x := range xs {
			want := Softplus(float64(x + bias)) // the kernel adds in float32 too
			got := float64(dt[i])
			if e := math.Abs(got-want) / max(want, 1e-300); !(e <= bound) {
				if !(want < 1e-37 && math.Abs(got-want) < 1e-37) {
					t.Fatalf("bias %v: softplus(%v) = %v, want %v (relative error %.3g)", bias, x, got, want, e)
				}
			} else {
				worst = max(worst, e)
			}
			if dtu[i] != dt[i]*u[i] {
				t.Fatalf("dtu[%d] = %v, want %v", i, dtu[i], dt[i]*u[i])
			}
		}
		t.Logf("bias %v: softplus max relative error %.3g", bias, worst)
		prepAVX2(&dt[0], &dtu[0], &xs[0], &u[0], len(xs), bias, false)
		for i, x := range xs {
			if dt[i] != x+bias {
				t.Fatalf("no softplus: dt[%d] = %v, want %v", i, dt[i], x+bias)
			}
		}
	}
}

// TestGateAVX2 checks y = (y + D u)·SiLU(z) against the float64 SiLU
// (relative 3e-7; below z ≈ -88.7, e^{-z} overflows float32 and the kernel
// returns -0 where the exact value is below 1e-35 in magnitude).
func TestGateAVX2(t *testing.T) {
	if !hasAVX2() {
		t.Skip("no AVX2+FMA")
	}
	var zs []float32
	for z := -100.0; z <= 100; z += 1.0 / 64 {
		zs = append(zs, float32(z))
	}
	zs = append(zs, make([]float32, 8-len(zs)%8)...)
	n := len(zs)
	u, y0 := make([]float32, n), make([]float32, n)
	for i := range u {
		u[i] = float32(i%5) - 2
		y0[i] = float32(i%3) - 0.7
	}
	for _, hasD := range []bool{false, true} {
		y := append([]float32(nil), y0...)
		const dskip = 1.5
		gateAVX2(&y[0], &u[0], &zs[0], n, dskip, hasD)
		for i, z := range zs {
			pre := float64(y0[i])
			if hasD {
				pre += dskip * float64(u[i])
			}
			want := pre * SiLU(float64(z))
			if math.Abs(float64(y[i])-want) > 3e-7*math.Abs(want)+1e-35 {
				t.Fatalf("hasD=%v z=%v: y = %v, want %v", hasD, z, y[i], want)
			}
		}
	}
}
