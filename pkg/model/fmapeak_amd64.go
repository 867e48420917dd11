//go:build !purego

package model

import "github.com/tokendyn/tokendyn/internal/kernels"

//go:noescape
func fmaLoopAVX2(n int)

//go:noescape
func fmaLoopAVX512(n int)

// fmaLoop runs n iterations of the peak loop and returns the FLOPs done and
// the kernel's name: the widest the products use (kernels.Path), so that a
// fraction of the peak compares like with like; ok is false on the portable
// path.
func fmaLoop(n int) (flop float64, kernel string, ok bool) {
	switch kernels.Path() {
	case kernels.AVX512:
		fmaLoopAVX512(n)
		return 512 * float64(n), "AVX-512", true
	case kernels.AVX2:
	default:
		return 0, "", false
	}
	fmaLoopAVX2(n)
	return 192 * float64(n), "AVX2+FMA", true
}
