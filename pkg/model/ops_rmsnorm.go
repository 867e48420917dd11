package model

import "math"

// rmsNormEps is the epsilon of Mamba's RMSNorm (mixer_seq_simple norm_epsilon).
const rmsNormEps = 1e-5

// rmsNormForward is mamba_ssm's RMSNorm on m rows of width n:
//
//	y = x / sqrt(mean(x²) + eps) ⊙ w
//
//	x     (m, n)
//	w     (n)     norm.weight
//	y     (m, n)  overwritten (may not alias x)
//	rstd  (m)     1/sqrt(mean(x²)+eps) per row, saved for the backward
func rmsNormForward[T Float](m, n int, x, w, y, rstd []T) {
	for i := 0; i < m; i++ {
		xr := x[i*n : (i+1)*n]
		var ss float64
		for _, v := range xr {
			ss += float64(v) * float64(v)
		}
		r := T(1 / math.Sqrt(ss/float64(n)+rmsNormEps))
		rstd[i] = r
		yr := y[i*n : (i+1)*n]
		for j, v := range xr {
			yr[j] = v * r * w[j]
		}
	}
}

// rmsNormBackward is the adjoint of rmsNormForward. With x̂ = x·rstd and
// g = gy ⊙ w:
//
//	gw += Σ_rows gy ⊙ x̂
//	gx  = rstd · (g − x̂ · mean(g ⊙ x̂))   (+= into gx if accumulate)
func rmsNormBackward[T Float](m, n int, x, w, rstd, gy, gw, gx []T, accumulate bool) {
	for i := 0; i < m; i++ {
		xr := x[i*n : (i+1)*n]
		gr := gy[i*n : (i+1)*n]
		r := rstd[i]
		var dot float64
		for j, v := range xr {
			xh := v * r
			gw[j] += gr[j] * xh
			dot += float64(gr[j]*w[j]) * float64(xh)
		}
		mean := T(dot / float64(n))
		gxr := gx[i*n : (i+1)*n]
		for j, v := range xr {
			g := r * (gr[j]*w[j] - v*r*mean)
			if accumulate {
				gxr[j] += g
			} else {
				gxr[j] = g
			}
		}
	}
}

// rmsNormForwardBatches is rmsNormForward on nb·nl rows (nb sequences of nl
// tokens), parallel over batch ranges on at most workers goroutines.
func rmsNormForwardBatches[T Float](workers, nb, nl, n int, x, w, y, rstd []T) {
	forBatches(nb, workers, func(b0, b1, _ int) {
		r0, r1 := b0*nl, b1*nl
		rmsNormForward(r1-r0, n, x[r0*n:r1*n], w, y[r0*n:r1*n], rstd[r0:r1])
	})
}

// rmsNormBackwardBatches is rmsNormBackward on nb·nl rows, parallel over
// batch ranges: ∂w is summed per sequence into *part (nb, n), then over
// sequences in batch order, so it does not depend on workers.
func rmsNormBackwardBatches[T Float](workers, nb, nl, n int, x, w, rstd, gy, gw, gx []T, accumulate bool, part *[]T) {
	*part = grow(*part, nb*n)
	p := *part
	clear(p)
	forBatches(nb, workers, func(b0, b1, _ int) { rmsNormBackwardSeqs(b0, b1, nl, n, x, w, rstd, gy, p, gx, accumulate) })
	reduceBatches(nb, n, p, gw)
}

// rmsNormBackwardSeqs is rmsNormBackward on the sequences [b0, b1) of nl
// rows each (x, rstd, gy, gx the whole batch's), with ∂w added to the
// per-sequence partials part (nb, n), zero before the first call.
func rmsNormBackwardSeqs[T Float](b0, b1, nl, n int, x, w, rstd, gy, part, gx []T, accumulate bool) {
	for b := b0; b < b1; b++ {
		r0, r1 := b*nl, (b+1)*nl
		rmsNormBackward(nl, n, x[r0*n:r1*n], w, rstd[r0:r1], gy[r0*n:r1*n], part[b*n:(b+1)*n], gx[r0*n:r1*n], accumulate)
	}
}
