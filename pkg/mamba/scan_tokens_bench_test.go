package mamba

import (
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// BenchmarkScanTokensTrain times the training scan of one Mamba layer of the
// benchmark LM (batch 8, L 128, d_inner 128, N 16): forward with chunk
// checkpoints, then the backward, in float32.
func BenchmarkScanTokensTrain(b *testing.B) {
	const nb, nl, nd, nn = 8, 128, 128, 16
	rng := gradcheck.NewRNG(1)
	f := func(n int, lo, hi float64) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(lo + (hi-lo)*rng.Float64())
		}
		return v
	}
	dims := tokenDims{Batch: nb, Len: nl, Dim: nd, State: nn, LdBC: 2 * nn}
	u, delta := f(nb*nl*nd, -1, 1), f(nb*nl*nd, 0.001, 0.1)
	A, bc, dskip := f(nd*nn, -16, -1), f(nb*nl*2*nn, -1, 1), f(nd, 1, 1)
	y, gy := make([]float32, nb*nl*nd), f(nb*nl*nd, -1, 1)
	gu, gdelta, gbc := make([]float32, len(u)), make([]float32, len(u)), make([]float32, len(bc))
	gA, gD := make([]float32, len(A)), make([]float32, nd)
	tape := &TokenTape[float32]{}
	workers := 1
	tape.Reset(sizesOf[float32](dims), workers)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ScanTokens(fwdScan(dims, u, delta, A, bc, bc[nn:], dskip), y, workers, tape)
		ScanTokensBackward(workers, fwdScan(dims, u, delta, A, bc, bc[nn:], dskip), gy, backGrad(gu, gdelta, gbc, gbc[nn:], gA, gD), tape)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nb*nl*nd*nn), "ns/elem")
}
