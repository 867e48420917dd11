package mamba

import "math"

// Elementwise ops of the Mamba block (SiLU, softplus) on (m, n) row blocks,
// with their adjoints. Inputs may be strided (a half of in_proj's output),
// outputs are contiguous (m, n). Arithmetic is in T; exponentials go through
// float64 math.Exp, so float64 models are exact to rounding.

// expT is e^x in T.
func expT[T Float](x T) T { return T(math.Exp(float64(x))) }

// sigmoidT is 1/(1+e^-x) in T, without overflow.
func sigmoidT[T Float](x T) T {
	if x >= 0 {
		return 1 / (1 + expT(-x))
	}
	e := expT(x)
	return e / (1 + e)
}

// softplusT is ln(1+e^x) in T, computed as x + ln(1+e^-x) above 20 so it never
// overflows (PyTorch returns x itself above its threshold 20; the difference,
// below e^-20, is under float32 resolution). Its derivative is sigmoidT.
func softplusT[T Float](x T) T {
	if x > 20 {
		return x + T(math.Log1p(math.Exp(-float64(x))))
	}
	return T(math.Log1p(math.Exp(float64(x))))
}

// siluForward: y = x·σ(x).  x (m, n) with row stride ldx; y (m, n) contiguous.
func siluForward[T Float](m, n int, x []T, ldx int, y []T) {
	for i := 0; i < m; i++ {
		xr := x[i*ldx : i*ldx+n]
		yr := y[i*n : (i+1)*n]
		for j, v := range xr {
			yr[j] = v * sigmoidT(v)
		}
	}
}

// siluBackward: gx (=, or += if accumulate) gy·σ(x)·(1 + x·(1-σ(x))).
// x and gx have row strides ldx and ldgx; gy is contiguous (m, n).
func siluBackward[T Float](m, n int, x []T, ldx int, gy []T, gx []T, ldgx int, accumulate bool) {
	for i := 0; i < m; i++ {
		xr := x[i*ldx : i*ldx+n]
		gr := gy[i*n : (i+1)*n]
		gxr := gx[i*ldgx : i*ldgx+n]
		for j, v := range xr {
			s := sigmoidT(v)
			g := gr[j] * s * (1 + v*(1-s))
			if accumulate {
				gxr[j] += g
			} else {
				gxr[j] = g
			}
		}
	}
}

// softplusForward: y = softplus(x), all contiguous, len(x) = len(y).
func softplusForward[T Float](x, y []T) {
	for i, v := range x {
		y[i] = softplusT(v)
	}
}

// softplusBackward: gx = gy·σ(x) (overwrites gx; gx may alias gy).
func softplusBackward[T Float](x, gy, gx []T) {
	for i, v := range x {
		gx[i] = gy[i] * sigmoidT(v)
	}
}
