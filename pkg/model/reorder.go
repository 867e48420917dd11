package model

// Token reordering with a (soft) permutation matrix, per batch element
// (docs/paper.md §5.2 item 5: einsum('bkl,bdl->bdk'), in token-major layout):
//
//	permuteForward:  x'[b] = P[b] · x[b]        x'_k = Σ_l P[k,l] x_l
//	inverse:         y[b]  = P[b]ᵀ · y'[b]      (the exact inverse when P is a permutation)
//
// P is (B, L, L); token blocks x[b] are (L, n) with row stride ld.

// permuteForward computes dst[b] = op(P[b]) · src[b], op = identity or
// transpose. dst and src may have different row strides; dst is overwritten.
func permuteForward[T Float](nb, nl, n int, p []T, transpose bool, src []T, lds int, dst []T, ldd int) {
	for b := 0; b < nb; b++ {
		gemm(transpose, false, nl, n, nl, 1, p[b*nl*nl:(b+1)*nl*nl], nl,
			src[b*nl*lds:], lds, 0, dst[b*nl*ldd:], ldd)
	}
}

// permuteBackward is the adjoint of permuteForward. Given gdst:
//
//	not transposed (dst = P src):  gsrc += Pᵀ gdst,  gP += gdst srcᵀ
//	transposed     (dst = Pᵀ src): gsrc += P gdst,   gP += src gdstᵀ
//
// gsrc (row stride ldgs) is accumulated into; gp (B, L, L) too.
func permuteBackward[T Float](nb, nl, n int, p []T, transpose bool, src []T, lds int, gdst []T, ldgd int, gsrc []T, ldgs int, gp []T) {
	for b := 0; b < nb; b++ {
		pb := p[b*nl*nl : (b+1)*nl*nl]
		gpb := gp[b*nl*nl : (b+1)*nl*nl]
		sb, gdb, gsb := src[b*nl*lds:], gdst[b*nl*ldgd:], gsrc[b*nl*ldgs:]
		if !transpose {
			gemm(true, false, nl, n, nl, 1, pb, nl, gdb, ldgd, 1, gsb, ldgs)
			gemm(false, true, nl, nl, n, 1, gdb, ldgd, sb, lds, 1, gpb, nl)
		} else {
			gemm(false, false, nl, n, nl, 1, pb, nl, gdb, ldgd, 1, gsb, ldgs)
			gemm(false, true, nl, nl, n, 1, sb, lds, gdb, ldgd, 1, gpb, nl)
		}
	}
}
