package model

// mulInto sets dst[i] = a[i]·b[i] for i < len(dst) (a and b at least as
// long): the elementwise product of the gate (y ⊙ SiLU(z)) and of its
// adjoint. For float32 with the vector kernels present, the largest
// multiple of 8 goes through mulVec (ops_mul_amd64.s), the same rounded
// products, so the same bits as the plain loop that does the rest.
func mulInto[T Float](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	if d32 := as32(dst); d32 != nil && haveSgemmKernels() {
		if n := len(dst) &^ 7; n > 0 {
			mulVec(&d32[0], &as32(a)[0], &as32(b)[0], n)
			dst, a, b = dst[n:], a[n:], b[n:]
		}
	}
	for i := range dst {
		dst[i] = a[i] * b[i]
	}
}
