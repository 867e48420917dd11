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
