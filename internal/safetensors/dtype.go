package safetensors

import "math"

// DType is the element type of a tensor, spelled as in the header.
type DType string

// The element types this package reads and writes. Every other dtype of the
// format (BOOL, U8, I8, I16, I32, I64, U16, U32, U64, F8_*) is rejected with
// an error naming it.
const (
	F32  DType = "F32"  // float32, held in Tensor.F32
	F64  DType = "F64"  // float64, held in Tensor.F64
	F16  DType = "F16"  // IEEE half precision, converted to Tensor.F32 (exact)
	BF16 DType = "BF16" // bfloat16, converted to Tensor.F32 (exact)
)

// Size is the number of bytes of one element, 0 for an unsupported dtype.
func (d DType) Size() int {
	switch d {
	case F64:
		return 8
	case F32:
		return 4
	case F16, BF16:
		return 2
	}
	return 0
}

// supported reports whether the package can read and write d.
func (d DType) supported() bool { return d.Size() != 0 }

// rank orders dtypes the way the reference writer lays them out: F64 first,
// then F32, BF16, F16 (its Dtype enum sorted in descending order).
func (d DType) rank() int {
	switch d {
	case F64:
		return 3
	case F32:
		return 2
	case BF16:
		return 1
	}
	return 0
}

// f16ToF32 converts an IEEE binary16 bit pattern to float32 exactly; NaN
// payloads are kept.
func f16ToF32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0:
		// Subnormal: mant·2⁻²⁴. Normalize the leading one into bit 10.
		e := uint32(127 - 14)
		for mant&0x400 == 0 {
			mant <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// f32ToF16 rounds a float32 to the nearest binary16, ties to even; values
// beyond the largest half (65504) round to ±Inf. NaN stays NaN, with the top
// payload bits kept, so f32ToF16(f16ToF32(h)) == h for every h.
func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff {
		if mant == 0 {
			return sign | 0x7c00
		}
		m := uint16(mant >> 13)
		if m == 0 {
			m = 0x200
		}
		return sign | 0x7c00 | m
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Subnormal half (or zero): m = full·2^(exp−126), rounded.
		shift := uint(14 - e)
		if exp == 0 || shift > 24 {
			return sign
		}
		full := mant | 0x800000
		m := full >> shift
		rem := full & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || (rem == half && m&1 == 1) {
			m++ // may carry into the smallest normal, 0x0400, which is correct
		}
		return sign | uint16(m)
	}
	h := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // a carry into the exponent is correct, up to 0x7c00 = Inf
	}
	return sign | uint16(h)
}

// bf16ToF32 converts a bfloat16 bit pattern to float32 exactly.
func bf16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// f32ToBF16 rounds a float32 to the nearest bfloat16, ties to even, keeping
// NaN a NaN, so f32ToBF16(bf16ToF32(h)) == h for every h.
func f32ToBF16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7f800000 == 0x7f800000 && b&0x7fffff != 0 {
		h := uint16(b >> 16)
		if h&0x7f == 0 {
			h |= 0x40
		}
		return h
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}
