package model

// fmaInto sets y[i] += a[i]·b[i] for i < len(y) (a and b at least as long):
// the AVX2 kernel of ops_fma_amd64.s (fused multiply-add; its AVX-512 form,
// the same bits, on the AVX-512 path) on the multiple-of-8
// prefix for float32 when the CPU has it, a plain loop otherwise and for the
// rest. It is the inner loop of the depthwise convolution.
func fmaInto[T Float](y, a, b []T) {
	a, b = a[:len(y)], b[:len(y)]
	if y32 := as32(y); y32 != nil && haveSgemmKernels() {
		if n := len(y) &^ 7; n > 0 {
			fmaVec(&y32[0], &as32(a)[0], &as32(b)[0], n)
			y, a, b = y[n:], a[n:], b[n:]
		}
	}
	for i := range y {
		y[i] += a[i] * b[i]
	}
}
