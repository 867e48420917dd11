//go:build amd64 && !purego

package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/internal/kernels"
)

// TestFMAVecAVX512MatchesAVX2: the 16-lane fused multiply-add gives the
// AVX2 kernel's bits and leaves the elements past n alone, for odd and even
// multiples of 8.
func TestFMAVecAVX512MatchesAVX2(t *testing.T) {
	if kernels.Best() < kernels.AVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
	rng := gradcheck.NewRNG(9)
	for _, n := range []int{8, 16, 24, 160, 168} {
		a := gradcheck.F32(gradcheck.RandVec(rng, n+3, 1))
		b := gradcheck.F32(gradcheck.RandVec(rng, n+3, 1))
		y := gradcheck.F32(gradcheck.RandVec(rng, n+3, 1))
		y2, y5 := append([]float32(nil), y...), append([]float32(nil), y...)
		fmaVecAVX2(&y2[0], &a[0], &b[0], n)
		fmaVecAVX512(&y5[0], &a[0], &b[0], n)
		for i := range y {
			if math.Float32bits(y2[i]) != math.Float32bits(y5[i]) || (i >= n && y5[i] != y[i]) {
				t.Fatalf("n=%d: y[%d] avx512 %v, avx2 %v (was %v)", n, i, y5[i], y2[i], y[i])
			}
		}
	}
}
