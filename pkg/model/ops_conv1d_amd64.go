//go:build !purego

package model

import "github.com/tokendyn/tokendyn/internal/kernels"

// Row kernels of the depthwise convolution's backward (ops_conv1d_amd64.s).
// Shapes: gy (C); x, gx rows k = 0..K−1 of stride ldx, ldgx (C each);
// wt, gwt (K, C); gbias (C). nc a multiple of 8, nk ≥ 1.

//go:noescape
func convBackRowAVX2(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)

//go:noescape
func convBackRowAVX512(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)

// convBackRow is the kernel of the selected path.
func convBackRow(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int) {
	if kernels.Path() == kernels.AVX512 {
		convBackRowAVX512(nc, nk, gy, x, ldx, wt, gwt, gbias, gx, ldgx)
		return
	}
	convBackRowAVX2(nc, nk, gy, x, ldx, wt, gwt, gbias, gx, ldgx)
}
