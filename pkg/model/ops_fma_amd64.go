//go:build !purego

package model

import "github.com/tokendyn/tokendyn/internal/kernels"

//go:noescape
func fmaVecAVX2(y, a, b *float32, n int)

//go:noescape
func fmaVecAVX512(y, a, b *float32, n int)

// fmaVec is the kernel of the selected path (n a multiple of 8).
func fmaVec(y, a, b *float32, n int) {
	if kernels.Path() == kernels.AVX512 {
		fmaVecAVX512(y, a, b, n)
		return
	}
	fmaVecAVX2(y, a, b, n)
}
