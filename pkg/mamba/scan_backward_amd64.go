//go:build !purego

package mamba

// expVec32 sets dst[i] = e^src[i] with the polynomial exponential of
// fastexp.go: the AVX2+FMA kernel of the fast scan (expAVX2) on the largest
// multiple of 8 elements when the CPU has it, fastExp32 on the rest. dst and
// src may be the same slice; len(dst) ≥ len(src).
func expVec32(dst, src []float32) {
	n := len(src)
	n8 := 0
	if hasAVX2() {
		n8 = n &^ 7
		if n8 > 0 {
			expAVX2(&dst[0], &src[0], n8)
		}
	}
	for i := n8; i < n; i++ {
		dst[i] = fastExp32(src[i])
	}
}
