//go:build !purego

package model

import "github.com/tokendyn/tokendyn/internal/kernels"

//go:noescape
func mulVecAVX2(dst, a, b *float32, n int)

//go:noescape
func mulVecAVX512(dst, a, b *float32, n int)

// mulVec is the kernel of the selected path (n a multiple of 8).
func mulVec(dst, a, b *float32, n int) {
	if kernels.Path() == kernels.AVX512 {
		mulVecAVX512(dst, a, b, n)
		return
	}
	mulVecAVX2(dst, a, b, n)
}
