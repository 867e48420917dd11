//go:build !purego

package model

import "github.com/tokendyn/tokendyn/internal/kernels"

// AVX2+FMA micro-kernels (ops_gemm_amd64.s). C[0:4, 0:16] (or 0:8) +=
// Σ_{p<k} A[i,p] B[p, j] (= when load is 0) with A[i,p] at a[i·sa + p·sk], B[p,j] at
// b[p·ldb + j], C[i,j] at c[i·ldc + j] (strides in elements). Every
// addressed element must lie inside the caller's slices.

//go:noescape
func sgemm4x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)

//go:noescape
func sgemm6x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)

//go:noescape
func sgemm4x8(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)

// AVX-512 micro-kernels (ops_gemm_avx512_amd64.s): C[0:8, 0:32] (or 0:16)
// as above for 8 rows; the last 16 columns are loaded and stored under the
// lane mask (bit j = column j of that block), so they may end anywhere.

//go:noescape
func sgemm8x32z(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int, mask int)

//go:noescape
func sgemm8x16z(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int, mask int)

// haveSgemmKernels reports whether the assembly kernels run (the CPU has
// AVX2+FMA and TOKENDYN_KERNELS does not ask for purego; internal/kernels).
func haveSgemmKernels() bool { return kernels.Path() >= kernels.AVX2 }
