//go:build amd64 && !purego

package mamba

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// For N = 16 the adjoint kernels keep ∂B_l and ∂C_l, which every channel
// adds to, in registers across the channels instead of storing and
// reloading them per channel. The sums must be the same bits as when they
// go through memory: one call over nd channels is compared with nd calls
// of one channel each, whose additions from channel to channel pass through
// the ∂B_l, ∂C_l slice exactly as the general loop's do; and both with the
// adjoint's formulas in float64 (checkAdj16Formulas), which catches a sum
// that the two would lose alike.
func TestScanAdjRow16RegistersMatchMemory(t *testing.T) {
	type adjKernel func(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)
	paths := []struct {
		name string
		isa  kernels.ISA
		f    adjKernel
	}{{"avx2", kernels.AVX2, scanAdjRowAVX2}, {"avx512", kernels.AVX512, scanAdjRowAVX512}}
	const nn = 16
	for _, p := range paths {
		if kernels.Best() < p.isa {
			t.Logf("%s: not on this CPU", p.name)
			continue
		}
		rng := rand.New(rand.NewPCG(11, 5))
		for _, nd := range []int{1, 2, 13, 160} {
			dn := nd * nn
			delta := normVec(rng, nd, 1)
			for i, v := range delta {
				delta[i] = float32(math.Abs(float64(v)))
			}
			a := normVec(rng, dn, 3)
			u, dskip, gy := normVec(rng, nd, 1), normVec(rng, nd, 1), normVec(rng, nd, 1)
			b, c := normVec(rng, nn, 1), normVec(rng, nn, 1)
			h, hp, abar := normVec(rng, dn, 1), normVec(rng, dn, 1), normVec(rng, dn, 1)
			carry, ga := normVec(rng, dn, 1), normVec(rng, dn, 1)
			gbc, gd := normVec(rng, 2*nn, 1), normVec(rng, nd, 1)
			type outs struct{ carry, ga, gbc, gu, gdelta, gd []float32 }
			fresh := func() outs {
				return outs{clone32(carry), clone32(ga), clone32(gbc), make([]float32, nd), make([]float32, nd), clone32(gd)}
			}
			all := fresh()
			p.f(nd, nn, &u[0], &delta[0], &a[0], &b[0], &c[0], &dskip[0], &gy[0], &h[0], &hp[0], &abar[0],
				&all.carry[0], &all.ga[0], &all.gbc[0], &all.gu[0], &all.gdelta[0], &all.gd[0])
			one := fresh()
			for d := 0; d < nd; d++ {
				r := d * nn
				p.f(1, nn, &u[d], &delta[d], &a[r], &b[0], &c[0], &dskip[d], &gy[d], &h[r], &hp[r], &abar[r],
					&one.carry[r], &one.ga[r], &one.gbc[0], &one.gu[d], &one.gdelta[d], &one.gd[d])
			}
			if !finite32(a, u, delta, dskip, gy, b, c, h, hp, abar, carry, ga, gbc, gd) {
				t.Fatalf("%s: random inputs not finite", p.name)
			}
			checkAdj16Formulas(t, p.name, nd, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gd,
				all.carry, all.ga, all.gbc, all.gu, all.gdelta, all.gd)
			for _, o := range []struct {
				name     string
				got, ref []float32
			}{{"carry", all.carry, one.carry}, {"∂A", all.ga, one.ga}, {"∂B∂C", all.gbc, one.gbc},
				{"∂u", all.gu, one.gu}, {"∂Δ", all.gdelta, one.gdelta}, {"∂D", all.gd, one.gd}} {
				for i := range o.got {
					if math.Float32bits(o.got[i]) != math.Float32bits(o.ref[i]) {
						t.Fatalf("%s, %d channels: %s element %d: one call %v (%#08x), channel by channel %v (%#08x)",
							p.name, nd, o.name, i, o.got[i], math.Float32bits(o.got[i]), o.ref[i], math.Float32bits(o.ref[i]))
					}
				}
			}
		}
	}
}

// normVec returns n finite values of magnitude about scale.
func normVec(rng *rand.Rand, n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() * scale)
	}
	return v
}

func finite32(vs ...[]float32) bool {
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return false
			}
		}
	}
	return true
}

// checkAdj16Formulas recomputes one adjoint step of nd channels and 16
// states in float64 from the kernels' inputs (carry0, ga0, gbc0, gd0 before
// the call) and compares the kernel's outputs within float32 rounding:
//
//	gn = carry + gy_d C,  carry' = gn Ā,  t = carry' h_{l-1}
//	∂A += Δ_d t,  ∂B += Δ_d u_d gn,  ∂C += gy_d h
//	∂Δ_d = Σ t a + u_d Σ gn B,  ∂u_d = D_d gy_d + Δ_d Σ gn B,  ∂D_d += gy_d u_d
func checkAdj16Formulas(t *testing.T, name string, nd int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry0, ga0, gbc0, gd0,
	carry, ga, gbc, gu, gdelta, gd []float32) {
	t.Helper()
	const nn = 16
	var gB, gC [nn]float64
	for n := 0; n < nn; n++ {
		gB[n], gC[n] = float64(gbc0[n]), float64(gbc0[nn+n])
	}
	near := func(what string, i int, got float32, want, scale float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-4*(scale+1) {
			t.Fatalf("%s, %d channels: %s %d: kernel %v, formula %v", name, nd, what, i, got, want)
		}
	}
	for d := 0; d < nd; d++ {
		var sta, sgb, mag float64
		for n := 0; n < nn; n++ {
			i := d*nn + n
			gn := float64(carry0[i]) + float64(gy[d])*float64(c[n])
			cr := gn * float64(abar[i])
			tt := cr * float64(hp[i])
			near("carry", i, carry[i], cr, math.Abs(cr))
			near("∂A", i, ga[i], float64(ga0[i])+float64(delta[d])*tt, math.Abs(float64(ga0[i]))+math.Abs(float64(delta[d])*tt))
			gB[n] += float64(delta[d]) * float64(u[d]) * gn
			gC[n] += float64(gy[d]) * float64(h[i])
			sta += tt * float64(a[i])
			sgb += gn * float64(b[n])
			mag += math.Abs(tt*float64(a[i])) + math.Abs(gn*float64(b[n]))
		}
		mag *= 1 + math.Abs(float64(u[d])) + math.Abs(float64(delta[d]))
		near("∂Δ", d, gdelta[d], sta+float64(u[d])*sgb, mag)
		near("∂u", d, gu[d], float64(dskip[d])*float64(gy[d])+float64(delta[d])*sgb, mag+math.Abs(float64(dskip[d]*gy[d])))
		near("∂D", d, gd[d], float64(gd0[d])+float64(gy[d])*float64(u[d]), math.Abs(float64(gd0[d]))+math.Abs(float64(gy[d]*u[d])))
	}
	for n := 0; n < nn; n++ {
		near("∂B", n, gbc[n], gB[n], float64(nd)*10)
		near("∂C", n, gbc[nn+n], gC[n], float64(nd)*10)
	}
}
