// The float32 exponential (fastexp.go) and softplus as AVX2+FMA macros,
// shared by the scan kernels (scan_amd64.s, scan_tokens_amd64.s) and the
// activation kernels (activation_amd64.s). The constants live in expconst
// (defined in scan_amd64.s).

#define C_LOG2E ·expconst+0(SB)
#define C_MAGIC ·expconst+32(SB)
#define C_LN2HI ·expconst+64(SB)
#define C_LN2LO ·expconst+96(SB)
#define C_EXPHI ·expconst+128(SB)
#define C_EXPLO ·expconst+160(SB)
#define C_P0 ·expconst+192(SB)
#define C_P1 ·expconst+224(SB)
#define C_P2 ·expconst+256(SB)
#define C_P3 ·expconst+288(SB)
#define C_P4 ·expconst+320(SB)
#define C_P5 ·expconst+352(SB)
#define C_P6 ·expconst+384(SB)
#define C_ONE ·expconst+416(SB)
#define C_TWO ·expconst+448(SB)
#define C_L1 ·expconst+480(SB)
#define C_L2 ·expconst+512(SB)
#define C_L3 ·expconst+544(SB)
#define C_L4 ·expconst+576(SB)
#define C_L5 ·expconst+608(SB)
#define C_L6 ·expconst+640(SB)
#define C_SIGN ·expconst+672(SB)

// EXP8 replaces X by exp(X) (8 lanes). T1, T2, T3 are clobbered; HI must hold
// expHi in every lane. NaN stays NaN (VMINPS returns its second source, X, on
// NaN, and NLT is true for NaN); x < expLo gives exactly 0.
#define EXP8(X, T1, T2, T3, HI) \
	VMINPS       X, HI, X;      \
	VCMPPS       $5, C_EXPLO, X, T2; \
	VMOVUPS      C_MAGIC, T1;   \
	VFMADD231PS  C_LOG2E, X, T1; \
	VSUBPS       C_MAGIC, T1, T3; \
	VFNMADD231PS C_LN2HI, T3, X; \
	VFNMADD231PS C_LN2LO, T3, X; \
	VMOVUPS      C_P5, T3;      \
	VFMADD231PS  C_P6, X, T3;   \
	VFMADD213PS  C_P4, X, T3;   \
	VFMADD213PS  C_P3, X, T3;   \
	VFMADD213PS  C_P2, X, T3;   \
	VFMADD213PS  C_P1, X, T3;   \
	VFMADD213PS  C_P0, X, T3;   \
	VPSLLD       $23, T1, T1;   \
	VPADDD       T1, T3, T3;    \
	VADDPS       T3, T3, T3;    \
	VANDPS       T2, T3, X

// SOFTPLUS8 replaces X by ln(1 + e^X) = max(X, 0) + log1p(e^{-|X|}), with
// log1p(t) = 2w(1 + w²/3 + w⁴/5 + … + w¹²/13), w = t/(2+t) ≤ 1/3.
#define SOFTPLUS8(X, T1, T2, T3, T4, HI) \
	VORPS        C_SIGN, X, T4; \
	EXP8(T4, T1, T2, T3, HI);   \
	VADDPS       C_TWO, T4, T1; \
	VDIVPS       T1, T4, T1;    \
	VMULPS       T1, T1, T2;    \
	VMOVUPS      C_L6, T3;      \
	VFMADD213PS  C_L5, T2, T3;  \
	VFMADD213PS  C_L4, T2, T3;  \
	VFMADD213PS  C_L3, T2, T3;  \
	VFMADD213PS  C_L2, T2, T3;  \
	VFMADD213PS  C_L1, T2, T3;  \
	VMULPS       T2, T3, T3;    \
	VADDPS       T1, T1, T1;    \
	VFMADD213PS  T1, T1, T3;    \
	VXORPS       T2, T2, T2;    \
	VMAXPS       T2, X, X;      \
	VADDPS       T3, X, X
