package mamba

import (
	"math"
	"unsafe"
)

// Softplus returns ln(1 + eˣ), computed without overflow for large |x|.
// It is the map from the raw step to Δ = softplus(S_Δ x + b).
func Softplus(x float64) float64 {
	if x > 30 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// Sigmoid returns 1/(1 + e⁻ˣ), the derivative of Softplus.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// SiLU returns x·σ(x), Mamba's activation and gate.
func SiLU(x float64) float64 { return x * Sigmoid(x) }

// The same maps generic over the element type T, as the float32 training
// and inference paths compute them.

// ExpT is e^x in T (the exponential of every float32 path of the project): math.Exp for float64 (exact to rounding, for the
// gradient checks), the polynomial fastExp32 of fastexp.go for float32
// (relative error ≤ 1.25e-7).
func ExpT[T Float](x T) T {
	if unsafe.Sizeof(x) == 4 {
		return T(fastExp32(float32(x)))
	}
	return T(math.Exp(float64(x)))
}

// ExpInto sets dst[i] = e^src[i] (dst may alias src): vectorized for float32
// (expVec32), math.Exp for float64.
func ExpInto[T Float](dst, src []T) {
	if len(src) == 0 {
		return
	}
	if unsafe.Sizeof(src[0]) == 4 {
		expVec32(unsafe.Slice((*float32)(unsafe.Pointer(&dst[0])), len(dst)),
			unsafe.Slice((*float32)(unsafe.Pointer(&src[0])), len(src)))
		return
	}
	for i, v := range src {
		dst[i] = T(math.Exp(float64(v)))
	}
}

// SigmoidT is 1/(1+e^-x) in T, without overflow.
func SigmoidT[T Float](x T) T {
	if x >= 0 {
		return 1 / (1 + ExpT(-x))
	}
	e := ExpT(x)
	return e / (1 + e)
}

// SoftplusT is ln(1+e^x) in T, computed as x + ln(1+e^-x) above 20 so it never
// overflows (PyTorch returns x itself above its threshold 20; the difference,
// below e^-20, is under float32 resolution). Its derivative is SigmoidT.
func SoftplusT[T Float](x T) T {
	if x > 20 {
		return x + T(math.Log1p(math.Exp(-float64(x))))
	}
	return T(math.Log1p(math.Exp(float64(x))))
}
