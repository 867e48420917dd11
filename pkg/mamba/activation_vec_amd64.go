//go:build !purego

package mamba

// Kernels of activation_amd64.s; n is a multiple of 8 and every pointer
// addresses at least n elements.

//go:noescape
func sigmoidAVX2(dst, src *float32, n int)

//go:noescape
func siluAVX2(dst, src *float32, n int)

//go:noescape
func siluGradAVX2(gx, x, gy *float32, n int, acc bool)

//go:noescape
func softplusAVX2(dst, src *float32, n int)

//go:noescape
func sigmoidMulAVX2(dst, x, gy *float32, n int)

//go:noescape
func sigmoidAVX512(dst, src *float32, n int)

//go:noescape
func siluAVX512(dst, src *float32, n int)

//go:noescape
func siluGradAVX512(gx, x, gy *float32, n int, acc bool)

//go:noescape
func softplusAVX512(dst, src *float32, n int)

//go:noescape
func sigmoidMulAVX512(dst, x, gy *float32, n int)

func haveActivationKernels() bool { return hasAVX2() }

// The kernels of the selected path (internal/kernels): AVX-512 or AVX2.

func sigmoidVec(dst, src *float32, n int) {
	if hasAVX512() {
		sigmoidAVX512(dst, src, n)
		return
	}
	sigmoidAVX2(dst, src, n)
}

func siluVec(dst, src *float32, n int) {
	if hasAVX512() {
		siluAVX512(dst, src, n)
		return
	}
	siluAVX2(dst, src, n)
}

func siluGradVec(gx, x, gy *float32, n int, acc bool) {
	if hasAVX512() {
		siluGradAVX512(gx, x, gy, n, acc)
		return
	}
	siluGradAVX2(gx, x, gy, n, acc)
}

func softplusVec(dst, src *float32, n int) {
	if hasAVX512() {
		softplusAVX512(dst, src, n)
		return
	}
	softplusAVX2(dst, src, n)
}

func sigmoidMulVec(dst, x, gy *float32, n int) {
	if hasAVX512() {
		sigmoidMulAVX512(dst, x, gy, n)
		return
	}
	sigmoidMulAVX2(dst, x, gy, n)
}
