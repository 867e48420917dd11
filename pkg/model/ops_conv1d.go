package model

// Depthwise 1-D convolution along the sequence, PyTorch's
// nn.Conv1d(C, C, K, groups=C) in the token-major layout used by the models.
//
// With left padding `left` (and zero padding on the right up to the same
// length), for batch b, position l and channel c:
//
//	y[b,l,c] = bias[c] + Σ_{k<K} w[c,k] · x[b, l-left+k, c]     (x = 0 outside [0, L))
//
// PyTorch convolutions are cross-correlations, hence l-left+k and not l-k.
// Mamba's causal conv (mamba_simple: padding K-1, then keep the first L
// outputs) is left = K-1; PyTorch's padding='same' (MambaVision) pads
// (K-1)/2 on the left and the rest on the right, so left = (K-1)/2.

// causalLeft is the left padding of Mamba's causal conv: y_l sees x_{l-K+1..l}.
func causalLeft(k int) int { return k - 1 }

// sameLeft is PyTorch's padding='same' left padding: total K-1, left half rounded down.
func sameLeft(k int) int { return (k - 1) / 2 }

// conv1dForward computes the depthwise convolution above.
//
//	x     (B, L, C)  rows (tokens) of stride ldx
//	w     (C, 1, K)  PyTorch conv1d.weight layout, flat c*K + k
//	bias  (C)        or nil
//	y     (B, L, C)  contiguous, overwritten
func conv1dForward[T Float](nb, nl, nc, nk, left int, x []T, ldx int, w, bias []T, y []T) {
	wt := transposeKernel(nc, nk, w, nil)
	for b := 0; b < nb; b++ {
		for l := 0; l < nl; l++ {
			yr := y[(b*nl+l)*nc : (b*nl+l+1)*nc]
			if bias != nil {
				copy(yr, bias)
			} else {
				clear(yr)
			}
			for k := 0; k < nk; k++ {
				src := l - left + k
				if src < 0 || src >= nl {
					continue
				}
				fmaInto(yr, wt[k*nc:(k+1)*nc], x[(b*nl+src)*ldx:(b*nl+src)*ldx+nc])
			}
		}
	}
}

// transposeKernel returns w (C, K) as (K, C) so that the inner loops over
// channels are contiguous; dst is reused when large enough.
func transposeKernel[T Float](nc, nk int, w, dst []T) []T {
	dst = grow(dst, nc*nk)
	for c := 0; c < nc; c++ {
		for k := 0; k < nk; k++ {
			dst[k*nc+c] = w[c*nk+k]
		}
	}
	return dst
}

// conv1dBackward is the adjoint of conv1dForward. With gy (B, L, C)
// contiguous: gw (C,1,K) and gbias (C) are accumulated (nil to skip), gx
// (B, L, C, row stride ldgx) is accumulated into (callers zero it first when
// they want an assignment).
func conv1dBackward[T Float](nb, nl, nc, nk, left int, x []T, ldx int, w []T, gy []T, gw, gbias []T, gx []T, ldgx int) {
	var gwt []T // ∂w as (K, C)
	if gw != nil {
		gwt = make([]T, nk*nc)
	}
	conv1dBackwardKC(nb, nl, nc, nk, left, x, ldx, w, gy, gwt, gbias, gx, ldgx)
	if gw != nil {
		addKernelGrad(nc, nk, gwt, gw)
	}
}

// conv1dBackwardKC is conv1dBackward with ∂w accumulated in the transposed
// layout gwt (K, C) (nil to skip), so that per-batch partial sums can be
// reduced before one transposition (addKernelGrad).
func conv1dBackwardKC[T Float](nb, nl, nc, nk, left int, x []T, ldx int, w []T, gy []T, gwt, gbias []T, gx []T, ldgx int) {
	wt := transposeKernel(nc, nk, w, nil)
	rowKernel := nk >= 1 && nc%8 == 0 && gwt != nil && gbias != nil && gx != nil && as32(gy) != nil && haveSgemmKernels()
	for b := 0; b < nb; b++ {
		for l := 0; l < nl; l++ {
			gr := gy[(b*nl+l)*nc : (b*nl+l+1)*nc]
			if src0 := l - left; rowKernel && src0 >= 0 && src0+nk <= nl {
				conv1dBackRow(nc, nk, gr, x[(b*nl+src0)*ldx:], ldx, wt, gwt, gbias, gx[(b*nl+src0)*ldgx:], ldgx)
				continue
			}
			if gbias != nil {
				for c, g := range gr {
					gbias[c] += g
				}
			}
			for k := 0; k < nk; k++ {
				src := l - left + k
				if src < 0 || src >= nl {
					continue
				}
				if gwt != nil {
					fmaInto(gwt[k*nc:(k+1)*nc], gr, x[(b*nl+src)*ldx:(b*nl+src)*ldx+nc])
				}
				if gx != nil {
					fmaInto(gx[(b*nl+src)*ldgx:(b*nl+src)*ldgx+nc], wt[k*nc:(k+1)*nc], gr)
				}
			}
		}
	}
}

// conv1dBackRow is one row of conv1dBackwardKC whose nk taps all fall in
// the sequence, in one vector kernel (ops_conv1d_amd64.s) instead of 2·nk
// fmaInto calls, with the same operations per element: gr (C) is ∂y_l, x
// and gx start at row l − left (nk rows of stride ldx, ldgx), wt and gwt are
// (K, C), gbias (C). Only for float32 with the kernels present and C a
// multiple of 8; it checks that every row it touches is inside its slice.
func conv1dBackRow[T Float](nc, nk int, gr, x []T, ldx int, wt, gwt, gbias, gx []T, ldgx int) {
	last := nk - 1
	_, _, _ = x[last*ldx+nc-1], gx[last*ldgx+nc-1], gr[nc-1]
	_, _, _ = wt[nk*nc-1], gwt[nk*nc-1], gbias[nc-1]
	convBackRow(nc, nk, &as32(gr)[0], &as32(x)[0], ldx, &as32(wt)[0], &as32(gwt)[0], &as32(gbias)[0], &as32(gx)[0], ldgx)
}

// addKernelGrad adds gwt (K, C) to gw (C, 1, K).
func addKernelGrad[T Float](nc, nk int, gwt, gw []T) {
	for c := 0; c < nc; c++ {
		for k := 0; k < nk; k++ {
			gw[c*nk+k] += gwt[k*nc+c]
		}
	}
}
