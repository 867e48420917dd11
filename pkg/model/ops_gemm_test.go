package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// TestSgemmKernels checks the float32 product (AVX2 kernels when present,
// gonum otherwise) against a float64 triple loop, for every transposition,
// beta, and sizes with row and column tails, strided operands and the
// parallel split.
func TestSgemmKernels(t *testing.T) {
	for _, sz := range []struct{ m, n, k int }{
		{1, 1, 1}, {4, 16, 3}, {5, 9, 7}, {8, 36, 33}, {13, 4, 129}, {64, 40, 64}, {130, 70, 50}, {7, 3, 0},
	} {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, beta := range []float32{0, 1, 0.5} {
				name := fmt.Sprintf("m=%d n=%d k=%d tA=%v tB=%v beta=%v", sz.m, sz.n, sz.k, tr[0], tr[1], beta)
				rng := gradcheck.NewRNG(uint64(sz.m*1000 + sz.n*10 + sz.k))
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
				c := gradcheck.F32(gradcheck.RandVec(rng, sz.m*ldc, 1))
				want := make([]float64, len(c))
				for i := range c {
					want[i] = float64(c[i])
				}
				for i := 0; i < sz.m; i++ {
					for j := 0; j < sz.n; j++ {
						var s float64
						for p := 0; p < sz.k; p++ {
							var av, bv float32
							if tr[0] {
								av = a[p*lda+i]
							} else {
								av = a[i*lda+p]
							}
							if tr[1] {
								bv = b[j*ldb+p]
							} else {
								bv = b[p*ldb+j]
							}
							s += float64(av) * float64(bv)
						}
						want[i*ldc+j] = s + float64(beta)*want[i*ldc+j]
					}
				}
				gemm(tr[0], tr[1], sz.m, sz.n, sz.k, 1, a, lda, b, ldb, beta, c, ldc)
				for i := range c {
					tol := 1e-5 * (1 + float64(sz.k))
					if math.Abs(float64(c[i])-want[i]) > tol {
						t.Fatalf("%s: c[%d] = %v, want %v", name, i, c[i], want[i])
					}
				}
			}
		}
	}
}
