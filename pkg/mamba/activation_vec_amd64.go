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

func haveActivationKernels() bool { return hasAVX2() }
