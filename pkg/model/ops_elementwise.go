package model

import (
	"math"
	"unsafe"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// Elementwise ops of the Mamba block (SiLU, softplus) on (m, n) row blocks,
// with their adjoints. Inputs may be strided (a half of in_proj's output),
// outputs are contiguous (m, n). Arithmetic is in T; exponentials go through
// mamba.ExpT, exact for float64 and a float32 polynomial for float32.

// ewBlock is the block size of the vectorized elementwise loops.
const ewBlock = 256

// For float32 each op first hands its slices to the AVX2 kernels of
// pkg/mamba (activation_vec.go), which compute a prefix of a multiple of 8
// elements (none without the kernels); the loops below do the rest.

// as32 views s as []float32 when T is 4 bytes wide (float32), else nil.
func as32[T Float](s []T) []float32 {
	var z T
	if unsafe.Sizeof(z) != 4 || len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// sigmoidInto sets s[i] = σ(x[i]) = 1/(1 + e^{−x[i]}) (len(s) ≥ len(x); s
// must not alias x) with one vectorized exponential. For x below about −88
// (float32) or −709 (float64) e^{−x} is +Inf and σ is exactly 0, as it
// should be; the loops have no data-dependent branch.
func sigmoidInto[T Float](x, s []T) {
	s = s[:len(x)]
	if x32 := as32(x); x32 != nil {
		k := mamba.Sigmoid8(as32(s), x32)
		x, s = x[k:], s[k:]
	}
	for i, v := range x {
		s[i] = -v
	}
	mamba.ExpInto(s, s)
	for i, e := range s {
		s[i] = 1 / (1 + e)
	}
}

// siluForward: y = x·σ(x).  x (m, n) with row stride ldx; y (m, n) contiguous.
func siluForward[T Float](m, n int, x []T, ldx int, y []T) {
	for i := 0; i < m; i++ {
		xr := x[i*ldx : i*ldx+n]
		yr := y[i*n : (i+1)*n]
		if x32 := as32(xr); x32 != nil {
			k := mamba.SiLU8(as32(yr), x32)
			xr, yr = xr[k:], yr[k:]
		}
		sigmoidInto(xr, yr)
		for j, v := range xr {
			yr[j] *= v
		}
	}
}

// siluBackward: gx (=, or += if accumulate) gy·σ(x)·(1 + x·(1-σ(x))).
// x and gx have row strides ldx and ldgx; gy is contiguous (m, n).
func siluBackward[T Float](m, n int, x []T, ldx int, gy []T, gx []T, ldgx int, accumulate bool) {
	var buf [ewBlock]T
	for i := 0; i < m; i++ {
		j0 := 0
		if x32 := as32(x[i*ldx : i*ldx+n]); x32 != nil {
			j0 = mamba.SiLUBackward8(as32(gx[i*ldgx:i*ldgx+n]), x32, as32(gy[i*n:(i+1)*n]), accumulate)
		}
		for ; j0 < n; j0 += ewBlock {
			j1 := min(j0+ewBlock, n)
			xr := x[i*ldx+j0 : i*ldx+j1]
			gr := gy[i*n+j0 : i*n+j1]
			gxr := gx[i*ldgx+j0 : i*ldgx+j1]
			s := buf[:len(xr)]
			sigmoidInto(xr, s)
			for j, v := range xr {
				g := gr[j] * s[j] * (1 + v*(1-s[j]))
				if accumulate {
					gxr[j] += g
				} else {
					gxr[j] = g
				}
			}
		}
	}
}

// softplusForward: y = softplus(x) = max(x, 0) + ln(1 + e^{−|x|}), all
// contiguous, len(x) = len(y); y must not alias x.
func softplusForward[T Float](x, y []T) {
	y = y[:len(x)]
	if x32 := as32(x); x32 != nil {
		k := mamba.Softplus8(as32(y), x32)
		x, y = x[k:], y[k:]
	}
	for i, v := range x {
		y[i] = -T(math.Abs(float64(v)))
	}
	mamba.ExpInto(y, y)
	for i, v := range x {
		y[i] = max(v, 0) + log1pUnit(y[i])
	}
}

// log1pUnit is ln(1+e) for e ∈ [0, 1] (softplus's range of e^{−|x|}):
// math.Log1p for float64; for float32 the series
// ln(1+e) = 2 atanh(s) = 2 Σ_k s^{2k+1}/(2k+1), s = e/(2+e) ≤ 1/3, to k = 7
// (truncation below 1.5e-9 relative; TestLog1pUnit bounds the float32
// error).
func log1pUnit[T Float](e T) T {
	if unsafe.Sizeof(e) != 4 {
		return T(math.Log1p(float64(e)))
	}
	f := float32(e)
	sv := f / (2 + f)
	s2 := sv * sv
	p := float32(2.0 / 15)
	p = p*s2 + 2.0/13
	p = p*s2 + 2.0/11
	p = p*s2 + 2.0/9
	p = p*s2 + 2.0/7
	p = p*s2 + 2.0/5
	p = p*s2 + 2.0/3
	p = p*s2 + 2
	return T(sv * p)
}

// softplusBackward: gx = gy·σ(x) (overwrites gx; gx may alias gy).
func softplusBackward[T Float](x, gy, gx []T) {
	var buf [ewBlock]T
	i0 := 0
	if x32 := as32(x); x32 != nil {
		i0 = mamba.SigmoidMul8(as32(gx[:len(x)]), x32, as32(gy[:len(x)]))
	}
	for ; i0 < len(x); i0 += ewBlock {
		i1 := min(i0+ewBlock, len(x))
		s := buf[:i1-i0]
		sigmoidInto(x[i0:i1], s)
		for i, v := range s {
			gx[i0+i] = gy[i0+i] * v
		}
	}
}
