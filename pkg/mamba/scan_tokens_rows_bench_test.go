//go:build amd64 && !purego

package mamba

import (
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// BenchmarkScanRowKernels times each row kernel of the token-major scan on
// one position of the benchmark model's layer (d_inner 160, N 16), per path
// the CPU has, in ns per (d, n) element: the numbers to compare when a
// kernel is rearranged (within one run).
func BenchmarkScanRowKernels(b *testing.B) {
	const nd, nn = 160, 16
	const dn = nd * nn
	rng := rand.New(rand.NewPCG(3, 9))
	delta := normVec(rng, nd, 0.1)
	for i, v := range delta {
		if v < 0 {
			delta[i] = -v
		}
	}
	a := normVec(rng, dn, 3)
	for i, v := range a {
		if v > 0 {
			a[i] = -v
		}
	}
	u, dskip, gy := normVec(rng, nd, 1), normVec(rng, nd, 1), normVec(rng, nd, 1)
	bv, cv := normVec(rng, nn, 1), normVec(rng, nn, 1)
	h, hp, abar := normVec(rng, dn, 1), normVec(rng, dn, 1), make([]float32, dn)
	carry, ga := normVec(rng, dn, 1), normVec(rng, dn, 1)
	gbc, gu, gdelta, gd, y := make([]float32, 2*nn), make([]float32, nd), make([]float32, nd), make([]float32, nd), make([]float32, nd)
	type path struct {
		name  string
		isa   kernels.ISA
		exp   func(nd, nn int, delta, a, out *float32)
		row   func(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32)
		state func(nd, nn int, u, delta, abar, h, b *float32)
		adj   func(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)
	}
	for _, p := range []path{
		{"avx2", kernels.AVX2, expRowsAVX2, scanRowAVX2, scanStateRowAVX2, scanAdjRowAVX2},
		{"avx512", kernels.AVX512, expRowsAVX512, scanRowAVX512, scanStateRowAVX512, scanAdjRowAVX512},
	} {
		if kernels.Best() < p.isa {
			continue
		}
		per := func(b *testing.B) { b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*dn), "ns/elem") }
		b.Run(p.name+"/exp", func(b *testing.B) {
			for range b.N {
				p.exp(nd, nn, &delta[0], &a[0], &abar[0])
			}
			per(b)
		})
		p.exp(nd, nn, &delta[0], &a[0], &abar[0])
		b.Run(p.name+"/row", func(b *testing.B) {
			for range b.N {
				p.row(nd, nn, &u[0], &delta[0], &abar[0], &h[0], &bv[0], &cv[0], &dskip[0], &y[0])
			}
			per(b)
		})
		b.Run(p.name+"/state", func(b *testing.B) {
			for range b.N {
				p.state(nd, nn, &u[0], &delta[0], &abar[0], &h[0], &bv[0])
			}
			per(b)
		})
		b.Run(p.name+"/adj", func(b *testing.B) {
			for range b.N {
				p.adj(nd, nn, &u[0], &delta[0], &a[0], &bv[0], &cv[0], &dskip[0], &gy[0], &h[0], &hp[0], &abar[0],
					&carry[0], &ga[0], &gbc[0], &gu[0], &gdelta[0], &gd[0])
			}
			per(b)
		})
	}
}
