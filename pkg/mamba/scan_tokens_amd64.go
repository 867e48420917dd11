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

// Vector kernels of one scan position (scan_tokens_amd64.s), for N a
// multiple of 8. Shapes: u, delta, dskip, y, gu, gdelta, gd (D); b, c (N);
// abar, h, hp, a, carry, ga (D, N); gbc (2N) = (∂B_l, ∂C_l).

//go:noescape
func expRowsAVX2(nd, nn int, delta, a, out *float32)

//go:noescape
func scanRowAVX2(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32)

//go:noescape
func scanStateRowAVX2(nd, nn int, u, delta, abar, h, b *float32)

//go:noescape
func scanAdjRowAVX2(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)

// AVX-512 forms (scan_tokens_avx512_amd64.s), for N a multiple of 16; the
// same bits as the AVX2 kernels.

//go:noescape
func expRowsAVX512(nd, nn int, delta, a, out *float32)

//go:noescape
func scanRowAVX512(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32)

//go:noescape
func scanStateRowAVX512(nd, nn int, u, delta, abar, h, b *float32)

//go:noescape
func scanAdjRowAVX512(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)

// use512 reports whether the row kernels for N = nn run on AVX-512.
func use512(nn int) bool { return nn%16 == 0 && hasAVX512() }

// The row kernels of the selected path (haveScanRowKernels(nn) must hold).

func expRowsVec(nd, nn int, delta, a, out *float32) {
	if use512(nn) {
		expRowsAVX512(nd, nn, delta, a, out)
		return
	}
	expRowsAVX2(nd, nn, delta, a, out)
}

func scanRowVec(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32) {
	if use512(nn) {
		scanRowAVX512(nd, nn, u, delta, abar, h, b, c, dskip, y)
		return
	}
	scanRowAVX2(nd, nn, u, delta, abar, h, b, c, dskip, y)
}

func scanStateRowVec(nd, nn int, u, delta, abar, h, b *float32) {
	if use512(nn) {
		scanStateRowAVX512(nd, nn, u, delta, abar, h, b)
		return
	}
	scanStateRowAVX2(nd, nn, u, delta, abar, h, b)
}

func scanAdjRowVec(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32) {
	if use512(nn) {
		scanAdjRowAVX512(nd, nn, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd)
		return
	}
	scanAdjRowAVX2(nd, nn, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd)
}

// haveScanRowKernels reports whether the row kernels can run for N = nn.
func haveScanRowKernels(nn int) bool { return nn%8 == 0 && hasAVX2() }
