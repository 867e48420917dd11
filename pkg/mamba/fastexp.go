package mamba

import "math"

// The float32 exponential of the fast scan. The algorithm below is fastExp32
// and the AVX2 kernels (8 lanes, scan_amd64.s) step for step; the AVX-512
// kernels (scan_avx512_amd64.s) use the same reduction and polynomial for
// e^r but assemble 2^k·e^r with VSCALEFPS, and their row kernel takes
// A·log₂e so that it computes 2^x directly (k = round(x), f = x − k exact,
// a refitted polynomial for 2^f; tested against math.Exp2).
//
//  1. clamp x to at most expHi (everything above overflows to +Inf anyway);
//  2. k = round(x·log₂e), by adding and subtracting 1.5·2²³;
//  3. r = x − k·ln2 in two steps (Cody–Waite: ln2Hi has 9 significant bits,
//     so k·ln2Hi is exact), |r| ≤ ln2/2 + tiny;
//  4. q = e^r/2 = ½ + ½r + r²·g(r)/2 with g a degree-4 polynomial fitted to
//     (e^r − 1 − r)/r² on [−0.347, 0.347] (Chebyshev fit, coefficients rounded
//     to float32; the approximation error is 1.04e-8 relative, 0.17 ulp);
//  5. 2^k·q is assembled by adding k<<23 to q's bit pattern (q ∈ [0.35, 0.71]
//     keeps the exponent field inside [1, 254] for -124 ≤ k ≤ 128), then
//     doubled, which rounds to +Inf exactly when e^x overflows;
//  6. x < expLo (where e^x < 4.4e-38, next to the smallest normal float32)
//     gives exactly 0, so no denormal ever enters the recurrence.
//
// Maximal relative error against math.Exp on [expLo, 88.72], final rounding
// included: 1.02e-7 here, 7.7e-8 in the AVX2 kernel; TestFastExp32 asserts
// 1.25e-7 (2.1 × 2⁻²⁴) on a grid of 17 million points. NaN stays NaN, -Inf and
// very negative numbers give 0, +Inf and x above ln(MaxFloat32) ≈ 88.7228
// give +Inf.
const (
	expLog2e = 1.44269504088896340736
	expMagic = 12582912 // 1.5·2²³: adding it rounds to an integer
	expLn2Hi = 0.693359375
	expLn2Lo = -2.12194440e-4
	expHi    = 88.8
	expLo    = -86.0
	expC0    = 0.5 // e^r/2 ≈ Σ expCi rⁱ; C0, C1 exact, C2..C6 are the fit of g/2
	expC1    = 0.5
	expC2    = 0.25
	expC3    = 0.08333288133144379
	expC4    = 0.020833276212215424
	expC5    = 0.004181623458862305
	expC6    = 0.0006963133928366005
)

// fastExp32 returns e^x with float32 accuracy (relative error ≤ 1.25e-7; 0 below expLo).
func fastExp32(x float32) float32 {
	if !(x >= expLo) {
		if x != x {
			return x
		}
		return 0
	}
	x = min(x, expHi)
	j := x*expLog2e + expMagic
	k := j - expMagic
	r := x - k*expLn2Hi
	r -= k * expLn2Lo
	q := expC0 + r*(expC1+r*(expC2+r*(expC3+r*(expC4+r*(expC5+r*expC6)))))
	bits := math.Float32bits(q) + math.Float32bits(j)<<23
	return math.Float32frombits(bits) * 2
}
