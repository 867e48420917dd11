//go:build !purego

package model

//go:noescape
func fmaLoopAVX2(n int)

// fmaLoop runs n iterations of the peak loop and returns the FLOPs done and
// the kernel's name; ok is false when the CPU lacks AVX2+FMA.
func fmaLoop(n int) (flop float64, kernel string, ok bool) {
	if !haveSgemmKernels() {
		return 0, "", false
	}
	fmaLoopAVX2(n)
	return 192 * float64(n), "AVX2+FMA", true
}
