//go:build !amd64 || purego

package mamba

// expVec32 sets dst[i] = e^src[i] with fastExp32 (portable build).
func expVec32(dst, src []float32) {
	for i, v := range src {
		dst[i] = fastExp32(v)
	}
}

func expRowsAVX2(nd, nn int, delta, a, out *float32) {
	panic("mamba: expRowsAVX2 without assembly")
}

func scanRowAVX2(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32) {
	panic("mamba: scanRowAVX2 without assembly")
}

func scanStateRowAVX2(nd, nn int, u, delta, abar, h, b *float32) {
	panic("mamba: scanStateRowAVX2 without assembly")
}

func scanAdjRowAVX2(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32) {
	panic("mamba: scanAdjRowAVX2 without assembly")
}

func expRowsVec(nd, nn int, delta, a, out *float32) { panic("mamba: expRowsVec without assembly") }

func scanRowVec(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32) {
	panic("mamba: scanRowVec without assembly")
}

func scanStateRowVec(nd, nn int, u, delta, abar, h, b *float32) {
	panic("mamba: scanStateRowVec without assembly")
}

func scanAdjRowVec(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32) {
	panic("mamba: scanAdjRowVec without assembly")
}

// haveScanRowKernels is false without assembly: the Go loops run.
func haveScanRowKernels(nn int) bool { return false }
