package model

import (
	"sync"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// sgemmMinParallel is the work (m·n·k multiply-adds) above which sgemmAVX
// splits the rows of C over goroutines.
const sgemmMinParallel = 1 << 17

// sgemmAVX computes c = op(a)·op(b) + beta·c in float32 with the AVX2+FMA
// micro-kernels (haveSgemmKernels must be true); shapes and strides as gemm
// with alpha = 1.
//
// C is computed in blocks of 6 rows × 16 columns (when n is a multiple of
// 16) or 4 rows × 16 (or 8) columns held in registers over the whole k loop; op(a) = aᵀ is handled by the kernels' strides,
// op(b) = bᵀ by transposing b once. Columns beyond the last multiple of 8 go
// through a zero-padded 8-column block, rows beyond the last multiple of 4
// through zero-padded copies of their rows. Rows are split over up to
// workers goroutines for large products; every element of C is summed over
// k in the same order (one FMA chain over p) whatever the split and the
// kernel, so the result is deterministic and does not depend on workers.
//
// On the AVX-512 path (kernels.Path) the blocks are 8 rows × 32 or 16
// columns (ops_gemm_avx512_amd64.s), the last column block under a lane mask
// and the last 1–7 rows through zero-padded copies; each element is the same
// FMA chain, so both paths give the same bits.
func sgemmAVX(workers int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmPath(kernels.Path(), workers, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// sgemmPath is sgemmAVX on the kernels of isa (AVX2 or AVX512, which the CPU
// must support).
func sgemmPath(isa kernels.ISA, workers int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	load := sgemmScaleC(m, n, k, beta, c, ldc)
	if k == 0 {
		return
	}
	if transB {
		b, ldb = transposeB(n, k, b, ldb), n
	}
	sa, sk := lda, 1
	if transA {
		sa, sk = 1, lda
	}
	if isa == kernels.AVX512 {
		sgemm512(workers, m, n, k, a, sa, sk, b, ldb, c, ldc, load)
		return
	}
	sgemm256(workers, m, n, k, a, sa, sk, b, ldb, c, ldc, load)
}

// sgemmScaleC prepares C (m×n, row stride ldc) for kernels that add to it:
// it returns load = 0 when beta = 0 and k > 0 (the kernels then overwrite C),
// else scales C by beta (clears it for beta = 0) and returns load = 1.
func sgemmScaleC(m, n, k int, beta float32, c []float32, ldc int) (load int) {
	if beta == 0 && k > 0 {
		return 0
	}
	if beta != 1 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
			} else {
				for j := range row {
					row[j] *= beta
				}
			}
		}
	}
	return 1
}

// transposeB returns the (k, n) row-major transpose of b, (n, k) with row
// stride ldb.
func transposeB(n, k int, b []float32, ldb int) []float32 {
	bt := make([]float32, k*n)
	for j := 0; j < n; j++ {
		for p, v := range b[j*ldb : j*ldb+k] {
			bt[p*n+j] = v
		}
	}
	return bt
}

// sgemm256 is the AVX2 part of sgemmPath: C (m×n, row stride ldc) +=
// op(A)·B with A's element (i, p) at a[i·sa + p·sk] and B (k×n, row stride
// ldb), rows split over at most workers goroutines.
func sgemm256(workers, m, n, k int, a []float32, sa, sk int, b []float32, ldb int, c []float32, ldc, load int) {
	g := avx2Gemm{n: n, k: k, b: b, ldb: ldb, load: load, n8: n &^ 7}
	if g.n8 < n {
		// (k, 8): the last n−n8 columns of b, zero padded
		g.bpad = make([]float32, k*8)
		for p := 0; p < k; p++ {
			copy(g.bpad[p*8:p*8+n-g.n8], b[p*ldb+g.n8:p*ldb+n])
		}
	}
	blocks := (m + 3) / 4
	workers = min(workers, blocks)
	if m*n*k < sgemmMinParallel || workers < 2 {
		g.rows(0, m, a, sa, sk, c, ldc)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		i0, i1 := w*blocks/workers*4, min((w+1)*blocks/workers*4, m)
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.rows(i0, i1, a, sa, sk, c, ldc)
		}()
	}
	wg.Wait()
}

// avx2Gemm is one product of sgemm256: B (k×n, row stride ldb), its last
// n − n8 columns zero-padded to 8 in bpad (nil when n8 = n), and whether the
// kernels add to C (load = 1) or overwrite it.
type avx2Gemm struct {
	n, k, n8  int
	b, bpad   []float32
	ldb, load int
}

// block4 adds op(a)·op(b) to the 4 rows of C starting at c[ci] (row
// stride ldc), with A's first row at ap and strides as, ak.
func (g *avx2Gemm) block4(ap *float32, as, ak int, c []float32, ci, ldc int) {
	n, n8, k, load := g.n, g.n8, g.k, g.load
	j := 0
	for ; j+16 <= n8; j += 16 {
		sgemm4x16(k, ap, as, ak, &g.b[j], g.ldb, &c[ci+j], ldc, load)
	}
	if j < n8 {
		sgemm4x8(k, ap, as, ak, &g.b[j], g.ldb, &c[ci+j], ldc, load)
	}
	if g.bpad != nil {
		var cp [32]float32
		if load != 0 {
			for r := 0; r < 4; r++ {
				copy(cp[r*8:r*8+n-n8], c[ci+r*ldc+n8:ci+r*ldc+n])
			}
		}
		sgemm4x8(k, ap, as, ak, &g.bpad[0], 8, &cp[0], 8, load)
		for r := 0; r < 4; r++ {
			copy(c[ci+r*ldc+n8:ci+r*ldc+n], cp[r*8:r*8+n-n8])
		}
	}
}

// rows computes the rows [i0, i1) of C.
func (g *avx2Gemm) rows(i0, i1 int, a []float32, sa, sk int, c []float32, ldc int) {
	n, k, load := g.n, g.k, g.load
	i := i0
	if n%16 == 0 {
		// Whole 16-column blocks: 6 rows at a time.
		for ; i+6 <= i1; i += 6 {
			for j := 0; j < n; j += 16 {
				sgemm6x16(k, &a[i*sa], sa, sk, &g.b[j], g.ldb, &c[i*ldc+j], ldc, load)
			}
		}
	}
	for ; i+4 <= i1; i += 4 {
		g.block4(&a[i*sa], sa, sk, c, i*ldc, ldc)
	}
	if i < i1 {
		// The last 1–3 rows.
		tailRows(4, i, i1, n, k, a, sa, sk, c, ldc, load, g.block4)
	}
}

// tailRows runs tile, the kernel of a block of rows rows of C, on the last
// i1 − i0 < rows rows [i0, i1) through zero-padded copies of their rows of
// op(A) (element (i, p) at a[i·sa + p·sk]) and of C (m×n, row stride ldc),
// so every element is the same FMA chain as in a whole block.
func tailRows(rows, i0, i1, n, k int, a []float32, sa, sk int, c []float32, ldc, load int,
	tile func(ap *float32, as, ak int, c []float32, ci, ldc int)) {
	rt := i1 - i0
	ap := make([]float32, rows*k)
	ct := make([]float32, rows*n)
	for r := 0; r < rt; r++ {
		for p := 0; p < k; p++ {
			ap[r*k+p] = a[(i0+r)*sa+p*sk]
		}
		if load != 0 {
			copy(ct[r*n:(r+1)*n], c[(i0+r)*ldc:(i0+r)*ldc+n])
		}
	}
	tile(&ap[0], k, 1, ct, 0, n)
	for r := 0; r < rt; r++ {
		copy(c[(i0+r)*ldc:(i0+r)*ldc+n], ct[r*n:(r+1)*n])
	}
}

// sgemm512 is the AVX-512 part of sgemmPath: C (m×n, row stride ldc) +=
// op(A)·B (= when load is 0) with op(A)[i,p] at a[i·sa + p·sk] and B (k×n)
// at b[p·ldb + j].
func sgemm512(workers, m, n, k int, a []float32, sa, sk int, b []float32, ldb int, c []float32, ldc int, load int) {
	// cols adds op(A)·B to the 8 rows of C starting at c[ci], with A's first
	// row at ap and strides as, ak.
	cols := func(ap *float32, as, ak int, c []float32, ci, ldc int) {
		j := 0
		for ; j+32 <= n; j += 32 {
			sgemm8x32z(k, ap, as, ak, &b[j], ldb, &c[ci+j], ldc, load, 0xffff)
		}
		switch rem := n - j; {
		case rem > 16:
			sgemm8x32z(k, ap, as, ak, &b[j], ldb, &c[ci+j], ldc, load, 1<<(rem-16)-1)
		case rem > 0:
			sgemm8x16z(k, ap, as, ak, &b[j], ldb, &c[ci+j], ldc, load, 1<<rem-1)
		}
	}
	rows := func(i0, i1 int) {
		i := i0
		for ; i+8 <= i1; i += 8 {
			cols(&a[i*sa], sa, sk, c, i*ldc, ldc)
		}
		if i < i1 {
			// The last 1–7 rows.
			tailRows(8, i, i1, n, k, a, sa, sk, c, ldc, load, cols)
		}
	}
	blocks := (m + 7) / 8
	workers = min(workers, blocks)
	if m*n*k < sgemmMinParallel || workers < 2 {
		rows(0, m)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		i0, i1 := w*blocks/workers*8, min((w+1)*blocks/workers*8, m)
		wg.Go(func() { rows(i0, i1) })
	}
	wg.Wait()
}
