package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/internal/kernels"
)

// TestSgemmAVX512MatchesAVX2 checks that the AVX-512 product gives exactly
// the bits of the AVX2 one (and both stay close to a float64 reference) for
// every transposition, beta, ragged m and n (not multiples of 8, 16 or 32),
// strided operands and the parallel split. It runs where the CPU has
// AVX-512, whatever TOKENDYN_KERNELS says.
func TestSgemmAVX512MatchesAVX2(t *testing.T) {
	if kernels.Best() < kernels.AVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
	sizes := []struct{ m, n, k int }{
		{1, 1, 1}, {3, 5, 2}, {8, 16, 4}, {7, 17, 9}, {9, 31, 33}, {16, 32, 1}, {13, 33, 129},
		{24, 47, 64}, {40, 80, 160}, {130, 70, 50}, {37, 160, 300}, {160, 5, 257}, {5, 96, 0}, {64, 37, 160},
	}
	for _, sz := range sizes {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, beta := range []float32{0, 1, 0.5} {
				for _, workers := range []int{1, 2, 3} {
					name := fmt.Sprintf("m=%d n=%d k=%d tA=%v tB=%v beta=%v w=%d", sz.m, sz.n, sz.k, tr[0], tr[1], beta, workers)
					rng := gradcheck.NewRNG(uint64(sz.m*7919 + sz.n*31 + sz.k))
					ar, ac := sz.m, sz.k
					if tr[0] {
						ar, ac = sz.k, sz.m
					}
					br, bc := sz.k, sz.n
					if tr[1] {
						br, bc = sz.n, sz.k
					}
					lda, ldb, ldc := ac+3, bc+1, sz.n+2
					a := gradcheck.F32(gradcheck.RandVec(rng, max(ar, 1)*lda, 1))
					b := gradcheck.F32(gradcheck.RandVec(rng, max(br, 1)*ldb, 1))
					c0 := gradcheck.F32(gradcheck.RandVec(rng, sz.m*ldc, 1))
					c2 := append([]float32(nil), c0...)
					c5 := append([]float32(nil), c0...)
					// Exact-size slices: a kernel reading or writing past them faults or shows up below.
					sgemmPath(kernels.AVX2, workers, tr[0], tr[1], sz.m, sz.n, sz.k, a, lda, b, ldb, beta, c2, ldc)
					sgemmPath(kernels.AVX512, workers, tr[0], tr[1], sz.m, sz.n, sz.k, a, lda, b, ldb, beta, c5, ldc)
					for i := range c0 {
						if math.Float32bits(c2[i]) != math.Float32bits(c5[i]) {
							t.Fatalf("%s: c[%d]: avx512 %v, avx2 %v", name, i, c5[i], c2[i])
						}
						row, col := i/ldc, i%ldc
						if col >= sz.n && c5[i] != c0[i] {
							t.Fatalf("%s: padding c[%d] changed", name, i)
						}
						if col >= sz.n {
							continue
						}
						var s float64
						for p := 0; p < sz.k; p++ {
							var av, bv float32
							if tr[0] {
								av = a[p*lda+row]
							} else {
								av = a[row*lda+p]
							}
							if tr[1] {
								bv = b[col*ldb+p]
							} else {
								bv = b[p*ldb+col]
							}
							s += float64(av) * float64(bv)
						}
						want := s + float64(beta)*float64(c0[i])
						if math.Abs(float64(c5[i])-want) > 1e-5*(1+float64(sz.k)) {
							t.Fatalf("%s: c[%d] = %v, want %v", name, i, c5[i], want)
						}
					}
				}
			}
		}
	}
}
