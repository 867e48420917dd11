//go:build !amd64 || purego

package model

func sgemm4x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int) {
	panic("model: sgemm4x16 without assembly")
}

func sgemm6x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int) {
	panic("model: sgemm6x16 without assembly")
}

func sgemm4x8(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int) {
	panic("model: sgemm4x8 without assembly")
}

func sgemm8x32z(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int, mask int) {
	panic("model: sgemm8x32z without assembly")
}

func sgemm8x16z(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int, mask int) {
	panic("model: sgemm8x16z without assembly")
}

// haveSgemmKernels is false without the assembly kernels: gemm uses gonum.
func haveSgemmKernels() bool { return false }
