// AVX-512 forms of the EXP8 and SOFTPLUS8 macros of fastexp_amd64.h: the
// same instructions in the same order on 16 lanes (the compare writes an
// opmask and the final AND is a zero-masked move, which gives the same +0),
// so every lane gets exactly the bits of the AVX2 kernels. The constants of
// EXP16X live in Z19..Z31 (LOADEXPZ); the others are broadcast from
// expconst (scan_amd64.s).

#include "fastexp_amd64.h"

// LOADEXPZ fills Z19..Z31 with the constants of EXP16X.
#define LOADEXPZ \
	VBROADCASTSS C_P6, Z19;    \
	VBROADCASTSS C_P5, Z20;    \
	VBROADCASTSS C_P4, Z21;    \
	VBROADCASTSS C_P3, Z22;    \
	VBROADCASTSS C_P2, Z23;    \
	VBROADCASTSS C_P1, Z24;    \
	VBROADCASTSS C_P0, Z25;    \
	VBROADCASTSS C_EXPLO, Z26; \
	VBROADCASTSS C_EXPHI, Z27; \
	VBROADCASTSS C_LN2LO, Z28; \
	VBROADCASTSS C_LN2HI, Z29; \
	VBROADCASTSS C_MAGIC, Z30; \
	VBROADCASTSS C_LOG2E, Z31

// EXP16X replaces X by exp(X) (16 lanes), EXP8 step for step. T1, T3 and
// the opmask K are clobbered; needs LOADEXPZ.
#define EXP16X(X, T1, T3, K) \
	VMINPS       X, Z27, X;   \
	VCMPPS       $5, Z26, X, K; \
	VMOVAPS      Z30, T1;     \
	VFMADD231PS  Z31, X, T1;  \
	VSUBPS       Z30, T1, T3; \
	VFNMADD231PS Z29, T3, X;  \
	VFNMADD231PS Z28, T3, X;  \
	VMOVAPS      Z20, T3;     \
	VFMADD231PS  Z19, X, T3;  \
	VFMADD213PS  Z21, X, T3;  \
	VFMADD213PS  Z22, X, T3;  \
	VFMADD213PS  Z23, X, T3;  \
	VFMADD213PS  Z24, X, T3;  \
	VFMADD213PS  Z25, X, T3;  \
	VPSLLD       $23, T1, T1; \
	VPADDD       T1, T3, T3;  \
	VADDPS       T3, T3, T3;  \
	VMOVAPS.Z    T3, K, X

// EXP16X2 is EXP16X on X and on Y at once, instruction by instruction
// interleaved (the same operations on each, so the same bits).
#define EXP16X2(X, T1, T3, K, Y, U1, U3, L) \
	VMINPS       X, Z27, X;   \
	VMINPS       Y, Z27, Y;   \
	VCMPPS       $5, Z26, X, K; \
	VCMPPS       $5, Z26, Y, L; \
	VMOVAPS      Z30, T1;     \
	VMOVAPS      Z30, U1;     \
	VFMADD231PS  Z31, X, T1;  \
	VFMADD231PS  Z31, Y, U1;  \
	VSUBPS       Z30, T1, T3; \
	VSUBPS       Z30, U1, U3; \
	VFNMADD231PS Z29, T3, X;  \
	VFNMADD231PS Z29, U3, Y;  \
	VFNMADD231PS Z28, T3, X;  \
	VFNMADD231PS Z28, U3, Y;  \
	VMOVAPS      Z20, T3;     \
	VMOVAPS      Z20, U3;     \
	VFMADD231PS  Z19, X, T3;  \
	VFMADD231PS  Z19, Y, U3;  \
	VFMADD213PS  Z21, X, T3;  \
	VFMADD213PS  Z21, Y, U3;  \
	VFMADD213PS  Z22, X, T3;  \
	VFMADD213PS  Z22, Y, U3;  \
	VFMADD213PS  Z23, X, T3;  \
	VFMADD213PS  Z23, Y, U3;  \
	VFMADD213PS  Z24, X, T3;  \
	VFMADD213PS  Z24, Y, U3;  \
	VFMADD213PS  Z25, X, T3;  \
	VFMADD213PS  Z25, Y, U3;  \
	VPSLLD       $23, T1, T1; \
	VPSLLD       $23, U1, U1; \
	VPADDD       T1, T3, T3;  \
	VPADDD       U1, U3, U3;  \
	VADDPS       T3, T3, T3;  \
	VADDPS       U3, U3, U3;  \
	VMOVAPS.Z    T3, K, X;    \
	VMOVAPS.Z    U3, L, Y

// SOFTPLUS16X replaces X by ln(1 + e^X) as SOFTPLUS8. T1..T4 and K are
// clobbered; needs LOADEXPZ.
#define SOFTPLUS16X(X, T1, T2, T3, T4, K) \
	VPORD.BCST       C_SIGN, X, T4; \
	EXP16X(T4, T1, T3, K);          \
	VADDPS.BCST      C_TWO, T4, T1; \
	VDIVPS           T1, T4, T1;    \
	VMULPS           T1, T1, T2;    \
	VBROADCASTSS     C_L6, T3;      \
	VFMADD213PS.BCST C_L5, T2, T3;  \
	VFMADD213PS.BCST C_L4, T2, T3;  \
	VFMADD213PS.BCST C_L3, T2, T3;  \
	VFMADD213PS.BCST C_L2, T2, T3;  \
	VFMADD213PS.BCST C_L1, T2, T3;  \
	VMULPS           T2, T3, T3;    \
	VADDPS           T1, T1, T1;    \
	VFMADD213PS      T1, T1, T3;    \
	VPXORD           T2, T2, T2;    \
	VMAXPS           T2, X, X;      \
	VADDPS           T3, X, X

// SIGMOID16X sets S = 1/(1 + e^{−X}) as SIGMOID8 (X kept); T1, T3, K
// clobbered.
#define SIGMOID16X(X, S, T1, T3, K) \
	VPXORD.BCST  C_SIGN, X, T1; \
	EXP16X(T1, S, T3, K);       \
	VADDPS.BCST  C_ONE, T1, T1; \
	VBROADCASTSS C_ONE, S;      \
	VDIVPS       T1, S, S
