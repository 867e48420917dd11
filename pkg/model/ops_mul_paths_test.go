//go:build amd64 && !purego

package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/internal/kernels"
)

// TestMulVecPaths: each multiply kernel the CPU has gives the scalar
// products' bits on odd and even multiples of 8 and leaves what follows n.
func TestMulVecPaths(t *testing.T) {
	rng := gradcheck.NewRNG(6)
	for _, p := range []struct {
		isa kernels.ISA
		f   func(dst, a, b *float32, n int)
	}{{kernels.AVX2, mulVecAVX2}, {kernels.AVX512, mulVecAVX512}} {
		if kernels.Best() < p.isa {
			continue
		}
		for _, n := range []int{8, 16, 24, 160, 168} {
			a := gradcheck.F32(gradcheck.RandVec(rng, n+3, 2))
			b := gradcheck.F32(gradcheck.RandVec(rng, n+3, 2))
			dst := gradcheck.F32(gradcheck.RandVec(rng, n+3, 1))
			old := append([]float32(nil), dst...)
			p.f(&dst[0], &a[0], &b[0], n)
			for i := range dst {
				want := old[i]
				if i < n {
					want = a[i] * b[i]
				}
				if math.Float32bits(dst[i]) != math.Float32bits(want) {
					t.Fatalf("%v n=%d: dst[%d] = %v, want %v", p.isa, n, i, dst[i], want)
				}
			}
		}
	}
}
