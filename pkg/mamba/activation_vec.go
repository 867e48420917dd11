package mamba

// Vector kernels of the activations for the float32 training path
// (pkg/model's elementwise ops). Each function processes the longest prefix
// of its slices whose length is a multiple of 8 with the AVX2+FMA kernel of
// activation_amd64.s, or its AVX-512 form (activation_avx512_amd64.s, the
// same bits) on the AVX-512 path, and returns that length, or returns 0 without touching
// anything when the kernels cannot run (no AVX2+FMA, another architecture,
// or -tags purego); the caller computes the remaining elements with its
// portable code. The exponential is fastexp.go's, so every result agrees
// with the portable float32 formulas to a few ulps.

// vecLen is the length the kernels process: len(x) rounded down to 8, or 0.
func vecLen(n int) int {
	if !haveActivationKernels() {
		return 0
	}
	return n &^ 7
}

// Sigmoid8 sets dst[i] = σ(x[i]) = 1/(1+e^{−x[i]}) (len(dst) ≥ len(x)).
func Sigmoid8(dst, x []float32) int {
	n := vecLen(len(x))
	if n > 0 {
		_ = dst[n-1]
		sigmoidVec(&dst[0], &x[0], n)
	}
	return n
}

// SiLU8 sets dst[i] = x[i]·σ(x[i]) (len(dst) ≥ len(x)).
func SiLU8(dst, x []float32) int {
	n := vecLen(len(x))
	if n > 0 {
		_ = dst[n-1]
		siluVec(&dst[0], &x[0], n)
	}
	return n
}

// SiLUBackward8 sets gx[i] = gy[i]·σ(x)·(1 + x(1−σ(x))), x = x[i], the
// adjoint of SiLU, or adds it to gx[i] when accumulate (len(gx), len(gy) ≥
// len(x)).
func SiLUBackward8(gx, x, gy []float32, accumulate bool) int {
	n := vecLen(len(x))
	if n > 0 {
		_, _ = gx[n-1], gy[n-1]
		siluGradVec(&gx[0], &x[0], &gy[0], n, accumulate)
	}
	return n
}

// Softplus8 sets dst[i] = ln(1 + e^{x[i]}) (len(dst) ≥ len(x)).
func Softplus8(dst, x []float32) int {
	n := vecLen(len(x))
	if n > 0 {
		_ = dst[n-1]
		softplusVec(&dst[0], &x[0], n)
	}
	return n
}

// SigmoidMul8 sets dst[i] = g[i]·σ(x[i]), softplus's adjoint (dst may alias
// g; len(dst), len(g) ≥ len(x)).
func SigmoidMul8(dst, x, g []float32) int {
	n := vecLen(len(x))
	if n > 0 {
		_, _ = dst[n-1], g[n-1]
		sigmoidMulVec(&dst[0], &x[0], &g[0], n)
	}
	return n
}
