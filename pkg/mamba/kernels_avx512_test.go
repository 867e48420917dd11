//go:build amd64 && !purego

package mamba

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// The AVX-512 kernels must give exactly the bits of the AVX2 ones (the
// committed results replay identically on either kind of CPU). These tests
// call both kernels directly on the same random inputs, with lengths that
// are odd multiples of 8 and channel counts that are not multiples of 16,
// and compare bit for bit. They run wherever the CPU has AVX-512, whatever
// TOKENDYN_KERNELS selects.

func need512(t *testing.T) {
	t.Helper()
	if kernels.Best() < kernels.AVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
}

// randVec returns n values, mostly of magnitude ≲ scale, with the special
// values of the exponential's range checks mixed in.
func randVec(rng *rand.Rand, n int, scale float64) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), 88.7, -87.4, -104, 100, -1e-8, 1e-30,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	v := make([]float32, n)
	for i := range v {
		if rng.IntN(20) == 0 {
			v[i] = special[rng.IntN(len(special))]
		} else {
			v[i] = float32(rng.NormFloat64() * scale)
		}
	}
	return v
}

func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: lengths %d and %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d of %d: avx512 %v (%#08x), avx2 %v (%#08x)", name, i, len(got),
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

func TestActivationAVX512MatchesAVX2(t *testing.T) {
	need512(t)
	rng := rand.New(rand.NewPCG(5, 23))
	for _, n := range []int{8, 16, 24, 40, 136, 1032} {
		for _, scale := range []float64{1, 10, 60} {
			x := randVec(rng, n+5, scale) // 5 elements past n that no kernel may touch
			gy := randVec(rng, n+5, 1)
			run := func(f func(dst []float32)) []float32 {
				d := randVec(rng, n+5, 1)
				d0 := append([]float32(nil), d...)
				f(d)
				sameBits(t, "untouched tail", d[n:], d0[n:])
				return d[:n]
			}
			sameBits(t, "sigmoid", run(func(d []float32) { sigmoidAVX512(&d[0], &x[0], n) }),
				run(func(d []float32) { sigmoidAVX2(&d[0], &x[0], n) }))
			sameBits(t, "silu", run(func(d []float32) { siluAVX512(&d[0], &x[0], n) }),
				run(func(d []float32) { siluAVX2(&d[0], &x[0], n) }))
			sameBits(t, "softplus", run(func(d []float32) { softplusAVX512(&d[0], &x[0], n) }),
				run(func(d []float32) { softplusAVX2(&d[0], &x[0], n) }))
			sameBits(t, "sigmoidMul", run(func(d []float32) { sigmoidMulAVX512(&d[0], &x[0], &gy[0], n) }),
				run(func(d []float32) { sigmoidMulAVX2(&d[0], &x[0], &gy[0], n) }))
			for _, acc := range []bool{false, true} {
				base := randVec(rng, n+5, 1)
				a, b := append([]float32(nil), base...), append([]float32(nil), base...)
				siluGradAVX512(&a[0], &x[0], &gy[0], n, acc)
				siluGradAVX2(&b[0], &x[0], &gy[0], n, acc)
				sameBits(t, "siluGrad", a, b)
				sameBits(t, "siluGrad tail", a[n:], base[n:])
			}
		}
	}
}

func clone32(v []float32) []float32 { return append([]float32(nil), v...) }

// TestScanRowsAVX512MatchesAVX2 runs each row kernel of the training scan
// (exp rows, forward step, state step, adjoint step) on both paths from the
// same state and compares every output bit for bit.
func TestScanRowsAVX512MatchesAVX2(t *testing.T) {
	need512(t)
	rng := rand.New(rand.NewPCG(7, 23))
	for _, nd := range []int{1, 3, 13, 160} {
		for _, nn := range []int{16, 32} {
			dn := nd * nn
			delta := randVec(rng, nd, 1)
			for i, v := range delta {
				delta[i] = float32(math.Abs(float64(v)))
			}
			a := randVec(rng, dn, 3)
			for i, v := range a {
				a[i] = -float32(math.Abs(float64(v)))
			}
			u, dskip, gy := randVec(rng, nd, 1), randVec(rng, nd, 1), randVec(rng, nd, 1)
			b, c := randVec(rng, nn, 1), randVec(rng, nn, 1)
			// exp rows, on inputs that also reach the exponential's range ends
			x := randVec(rng, dn, 30)
			e5, e2 := make([]float32, dn), make([]float32, dn)
			expRowsAVX512(nd, nn, &delta[0], &x[0], &e5[0])
			expRowsAVX2(nd, nn, &delta[0], &x[0], &e2[0])
			sameBits(t, "expRows", e5, e2)
			abar := make([]float32, dn)
			expRowsAVX2(nd, nn, &delta[0], &a[0], &abar[0])

			h := randVec(rng, dn, 1)
			h5, h2 := clone32(h), clone32(h)
			y5, y2 := make([]float32, nd), make([]float32, nd)
			scanRowAVX512(nd, nn, &u[0], &delta[0], &abar[0], &h5[0], &b[0], &c[0], &dskip[0], &y5[0])
			scanRowAVX2(nd, nn, &u[0], &delta[0], &abar[0], &h2[0], &b[0], &c[0], &dskip[0], &y2[0])
			sameBits(t, "scanRow h", h5, h2)
			sameBits(t, "scanRow y", y5, y2)

			h5, h2 = clone32(h), clone32(h)
			scanStateRowAVX512(nd, nn, &u[0], &delta[0], &abar[0], &h5[0], &b[0])
			scanStateRowAVX2(nd, nn, &u[0], &delta[0], &abar[0], &h2[0], &b[0])
			sameBits(t, "scanStateRow h", h5, h2)

			hp, carry, ga := randVec(rng, dn, 1), randVec(rng, dn, 1), randVec(rng, dn, 1)
			gbc, gd := randVec(rng, 2*nn, 1), randVec(rng, nd, 1)
			type outs struct{ carry, ga, gbc, gu, gdelta, gd []float32 }
			run := func(f func(o outs)) outs {
				o := outs{clone32(carry), clone32(ga), clone32(gbc), make([]float32, nd), make([]float32, nd), clone32(gd)}
				f(o)
				return o
			}
			o5 := run(func(o outs) {
				scanAdjRowAVX512(nd, nn, &u[0], &delta[0], &a[0], &b[0], &c[0], &dskip[0], &gy[0], &h[0], &hp[0], &abar[0],
					&o.carry[0], &o.ga[0], &o.gbc[0], &o.gu[0], &o.gdelta[0], &o.gd[0])
			})
			o2 := run(func(o outs) {
				scanAdjRowAVX2(nd, nn, &u[0], &delta[0], &a[0], &b[0], &c[0], &dskip[0], &gy[0], &h[0], &hp[0], &abar[0],
					&o.carry[0], &o.ga[0], &o.gbc[0], &o.gu[0], &o.gdelta[0], &o.gd[0])
			})
			sameBits(t, "adj carry", o5.carry, o2.carry)
			sameBits(t, "adj ∂A", o5.ga, o2.ga)
			sameBits(t, "adj ∂B∂C", o5.gbc, o2.gbc)
			sameBits(t, "adj ∂u", o5.gu, o2.gu)
			sameBits(t, "adj ∂Δ", o5.gdelta, o2.gdelta)
			sameBits(t, "adj ∂D", o5.gd, o2.gd)
		}
	}
}
