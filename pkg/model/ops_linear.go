package model

import (
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// gemm computes c = alpha·op(a)·op(b) + beta·c on row-major matrices, where
// op(a) is m×k, op(b) is k×n and c is m×n, with leading dimensions lda, ldb,
// ldc. float32 goes to the AVX2+FMA kernels of ops_gemm.go when the CPU has
// them, float32 otherwise and float64 to gonum's BLAS (blocked, parallel over
// GOMAXPROCS, deterministic: each block of c is summed over k in a fixed
// order); other Float types (named types) use a plain loop.
func gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	gemmW(runtime.GOMAXPROCS(0), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmW is gemm with the float32 kernels' row split limited to workers
// goroutines (1 inside an already parallel pass). The result does not depend
// on workers.
func gemmW[T Float](workers int, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	switch cc := any(c).(type) {
	case []float32:
		if alpha == 1 && haveSgemmKernels() {
			sgemmAVX(workers, transA, transB, m, n, k, any(a).([]float32), lda, any(b).([]float32), ldb, float32(beta), cc, ldc)
			return
		}
		blas32.Implementation().Sgemm(ta, tb, m, n, k, float32(alpha), any(a).([]float32), lda,
			any(b).([]float32), ldb, float32(beta), cc, ldc)
		return
	case []float64:
		blas64.Implementation().Dgemm(ta, tb, m, n, k, float64(alpha), any(a).([]float64), lda,
			any(b).([]float64), ldb, float64(beta), cc, ldc)
		return
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s T
			for p := 0; p < k; p++ {
				av := a[i*lda+p]
				if transA {
					av = a[p*lda+i]
				}
				bv := b[p*ldb+j]
				if transB {
					bv = b[j*ldb+p]
				}
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}

// linearForward computes y = x·Wᵀ (+ bias), PyTorch's nn.Linear, on m rows.
//
//	x     (m, in)   rows of stride ldx
//	w     (out, in) row-major, PyTorch's weight layout
//	bias  (out)     or nil
//	y     (m, out)  rows of stride ldy, overwritten
func linearForward[T Float](m, in, out int, x []T, ldx int, w, bias []T, y []T, ldy int) {
	linearForwardW(runtime.GOMAXPROCS(0), m, in, out, x, ldx, w, bias, y, ldy)
}

// linearForwardW is linearForward with its product on at most workers goroutines.
func linearForwardW[T Float](workers, m, in, out int, x []T, ldx int, w, bias []T, y []T, ldy int) {
	gemmW(workers, false, true, m, out, in, 1, x, ldx, w, in, 0, y, ldy)
	if bias != nil {
		for i := 0; i < m; i++ {
			row := y[i*ldy : i*ldy+out]
			for j, b := range bias {
				row[j] += b
			}
		}
	}
}

// linearBackward is the adjoint of linearForward. With gy = ∂loss/∂y (m, out):
//
//	gw    += gyᵀ·x         (out, in)      (nil to skip)
//	gbias += Σ_rows gy     (out)          (nil to skip)
//	gx     = gy·W  (+ gx if accumulate)    (m, in), rows of stride ldgx (nil to skip)
func linearBackward[T Float](m, in, out int, x []T, ldx int, w []T, gy []T, ldgy int,
	gw, gbias []T, gx []T, ldgx int, accumulate bool) {
	linearBackwardW(runtime.GOMAXPROCS(0), m, in, out, x, ldx, w, gy, ldgy, gw, gbias, gx, ldgx, accumulate)
}

// linearBackwardW is linearBackward with its products on at most workers goroutines.
func linearBackwardW[T Float](workers, m, in, out int, x []T, ldx int, w []T, gy []T, ldgy int,
	gw, gbias []T, gx []T, ldgx int, accumulate bool) {
	if gw != nil {
		gemmW(workers, true, false, out, in, m, 1, gy, ldgy, x, ldx, 1, gw, in)
	}
	if gbias != nil {
		for i := 0; i < m; i++ {
			row := gy[i*ldgy : i*ldgy+out]
			for j, g := range row {
				gbias[j] += g
			}
		}
	}
	if gx != nil {
		var beta T
		if accumulate {
			beta = 1
		}
		gemmW(workers, false, false, m, in, out, 1, gy, ldgy, w, in, beta, gx, ldgx)
	}
}

// weightGrad is one weight gradient of linearBackward, gw += gyᵀ·x:
//
//	gy  (m, out)  rows of stride ldgy
//	x   (m, in)   rows of stride ldx
//	gw  (out, in) accumulated
type weightGrad[T Float] struct {
	out, in int
	gy      []T
	ldgy    int
	x       []T
	ldx     int
	gw      []T
}

// weightGrads accumulates several weight gradients over the same m rows in
// one parallel pass: each of at most workers goroutines computes a
// contiguous share of the rows of every gw, each element one sum over the m
// rows in order, so the result does not depend on workers.
func weightGrads[T Float](workers, m int, jobs []weightGrad[T]) {
	parts := max(workers, 1)
	forBatches(parts, parts, func(p0, _, inner int) { weightGradsShare(p0, parts, inner, m, jobs) })
}

// weightGradsShare is share p of parts of weightGrads: the rows
// [out·p/parts, out·(p+1)/parts) of every gw, its products on at most inner
// goroutines. Every element is the same sum whatever p and parts, so the
// shares can run inside any parallel pass that covers 0..parts−1 once.
func weightGradsShare[T Float](p, parts, inner, m int, jobs []weightGrad[T]) {
	for _, j := range jobs {
		r0, r1 := j.out*p/parts, j.out*(p+1)/parts
		if r1 > r0 {
			gemmW(inner, true, false, r1-r0, j.in, m, 1, j.gy[r0:], j.ldgy, j.x, j.ldx, 1, j.gw[r0*j.in:], j.in)
		}
	}
}
