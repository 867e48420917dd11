//go:build !purego

// AVX-512 kernel of the float32 selective scan: one ZMM register holds a
// 16-state block. The exponential is the algorithm of fastexp.go with the
// polynomial for e^r itself (the doubled coefficients) and VSCALEFPS for
// 2^k·e^r, which also produces +Inf on overflow; lanes with x < expLo are
// zeroed through the opmask.

#include "textflag.h"

#define Z_LOG2E scanconst512<>+0(SB)
#define Z_LN2HI scanconst512<>+4(SB)
#define Z_LN2LO scanconst512<>+8(SB)
#define Z_EXPHI scanconst512<>+12(SB)
#define Z_EXPLO scanconst512<>+16(SB)
#define Z_Q0 scanconst512<>+20(SB)
#define Z_Q1 scanconst512<>+24(SB)
#define Z_Q2 scanconst512<>+28(SB)
#define Z_Q3 scanconst512<>+32(SB)
#define Z_Q4 scanconst512<>+36(SB)
#define Z_Q5 scanconst512<>+40(SB)
#define Z_Q6 scanconst512<>+44(SB)
#define Z_ONE scanconst512<>+48(SB)
#define Z_TWO scanconst512<>+52(SB)
#define Z_L1 scanconst512<>+56(SB)
#define Z_L2 scanconst512<>+60(SB)
#define Z_L3 scanconst512<>+64(SB)
#define Z_L4 scanconst512<>+68(SB)
#define Z_L5 scanconst512<>+72(SB)
#define Z_L6 scanconst512<>+76(SB)
#define Z_SIGN scanconst512<>+80(SB)
#define Z_E2HI scanconst512<>+84(SB)
#define Z_E2LO scanconst512<>+88(SB)
#define Z_E2C1 scanconst512<>+92(SB)
#define Z_H0 scanconst512<>+96(SB)
#define Z_H1 scanconst512<>+100(SB)
#define Z_H2 scanconst512<>+104(SB)
#define Z_H3 scanconst512<>+108(SB)
#define Z_H4 scanconst512<>+112(SB)

// EXP16 replaces X by exp(X) (16 lanes). T1, T2 and K1 are clobbered; HI
// must hold expHi in every lane.
#define EXP16(X, T1, T2, HI) \
	VMINPS           X, HI, X;            \
	VCMPPS           $5, Z17, X, K1;      \
	VMULPS           Z16, X, T1;          \
	VRNDSCALEPS      $0, T1, T1;          \
	VFNMADD231PS     Z18, T1, X;          \
	VFNMADD231PS     Z19, T1, X;          \
	VMOVAPS          Z25, T2;             \
	VFMADD231PS      Z26, X, T2;          \
	VFMADD213PS      Z24, X, T2;          \
	VFMADD213PS      Z23, X, T2;          \
	VFMADD213PS      Z22, X, T2;          \
	VFMADD213PS      Z21, X, T2;          \
	VFMADD213PS      Z20, X, T2;          \
	VSCALEFPS.Z      T1, T2, K1, X

// LOADZCONST fills Z16..Z26 with the constants of EXP16.
#define LOADZCONST \
	VBROADCASTSS Z_LOG2E, Z16; \
	VBROADCASTSS Z_EXPLO, Z17; \
	VBROADCASTSS Z_LN2HI, Z18; \
	VBROADCASTSS Z_LN2LO, Z19; \
	VBROADCASTSS Z_Q0, Z20; \
	VBROADCASTSS Z_Q1, Z21; \
	VBROADCASTSS Z_Q2, Z22; \
	VBROADCASTSS Z_Q3, Z23; \
	VBROADCASTSS Z_Q4, Z24; \
	VBROADCASTSS Z_Q5, Z25; \
	VBROADCASTSS Z_Q6, Z26

// EXP2X16 replaces X by 2^X (16 lanes), the exponential of the row kernel,
// which receives A·log₂e so that e^{ΔA} = 2^{Δ·(A log₂e)}: k = round(X),
// f = X − k exactly, 2^f = 1 + f·ln2 + f²·h(f) with h a degree-4 fit
// (approximation error 9e-9 relative on |f| ≤ 0.5), then VSCALEFPS. X is
// clamped to at most 128.25 (+Inf beyond 128) and X < -124 gives 0. T1, T2
// and K1 are clobbered; needs LOADZCONST2 (Z16..Z24).
#define EXP2X16(X, T1, T2) \
	VMINPS           X, Z16, X;           \
	VCMPPS           $5, Z17, X, K1;      \
	VRNDSCALEPS      $0, X, T1;           \
	VSUBPS           T1, X, X;            \
	VMOVAPS          Z22, T2;             \
	VFMADD231PS      Z23, X, T2;          \
	VFMADD213PS      Z21, X, T2;          \
	VFMADD213PS      Z20, X, T2;          \
	VFMADD213PS      Z19, X, T2;          \
	VFMADD213PS      Z18, X, T2;          \
	VFMADD213PS      Z24, X, T2;          \
	VSCALEFPS.Z      T1, T2, K1, X

// LOADZCONST2 fills Z16..Z24 with the constants of EXP2X16.
#define LOADZCONST2 \
	VBROADCASTSS Z_E2HI, Z16; \
	VBROADCASTSS Z_E2LO, Z17; \
	VBROADCASTSS Z_E2C1, Z18; \
	VBROADCASTSS Z_H0, Z19;   \
	VBROADCASTSS Z_H1, Z20;   \
	VBROADCASTSS Z_H2, Z21;   \
	VBROADCASTSS Z_H3, Z22;   \
	VBROADCASTSS Z_H4, Z23;   \
	VBROADCASTSS Z_ONE, Z24

// SOFTPLUS16 replaces X by ln(1 + e^X) (16 lanes), as SOFTPLUS8 of
// scan_amd64.s. T1..T4 and K1 are clobbered; needs LOADZCONST and HI.
#define SOFTPLUS16(X, T1, T2, T3, T4, HI) \
	VPORD.BCST        Z_SIGN, X, T4;  \
	EXP16(T4, T1, T2, HI);            \
	VADDPS.BCST       Z_TWO, T4, T1;  \
	VDIVPS            T1, T4, T1;     \
	VMULPS            T1, T1, T2;     \
	VBROADCASTSS      Z_L6, T3;       \
	VFMADD213PS.BCST  Z_L5, T2, T3;   \
	VFMADD213PS.BCST  Z_L4, T2, T3;   \
	VFMADD213PS.BCST  Z_L3, T2, T3;   \
	VFMADD213PS.BCST  Z_L2, T2, T3;   \
	VFMADD213PS.BCST  Z_L1, T2, T3;   \
	VMULPS            T2, T3, T3;     \
	VADDPS            T1, T1, T1;     \
	VFMADD213PS       T1, T1, T3;     \
	VPXORD            T2, T2, T2;     \
	VMAXPS            T2, X, X;       \
	VADDPS            T3, X, X

// HSUM16 leaves the sum of the 16 lanes of Z5 in the low lane of X5
// (clobbers Z14).
#define HSUM16 \
	VEXTRACTF64X4 $1, Z5, Y14; \
	VADDPS        Y14, Y5, Y5; \
	VEXTRACTF128  $1, Y5, X14; \
	VADDPS        X14, X5, X5; \
	VPERMILPS     $0x4e, X5, X14; \
	VADDPS        X14, X5, X5; \
	VPERMILPS     $0xb1, X5, X14; \
	VADDSS        X14, X5, X5

// STEP16Z is one position l: Z0 holds h, Z2 holds A·log₂e; SI
// points at Δ_l, DX at Δ_l u_l, R8 at B_l, R10 at C_l. It leaves C_lᵀh_l in
// the low lane of X5.
#define STEP16Z \
	VBROADCASTSS (SI), Z14;     \
	VMULPS       Z2, Z14, Z6;   \
	EXP2X16(Z6, Z7, Z8);        \
	VBROADCASTSS (DX), Z14;     \
	VMULPS       (R8), Z14, Z15; \
	VFMADD213PS  Z15, Z6, Z0;   \
	VMULPS       (R10), Z0, Z5; \
	HSUM16


// STEPP(OFF, P) is one position l+OFF/4 of an 8-position block: like STEP16Z
// but it leaves the 16 products C_l ⊙ h_l in P (no horizontal sum) and moves
// R8, R10 to the next position (SI, DX are advanced once per block).
#define STEPP(OFF, P) \
	VBROADCASTSS OFF(SI), Z14;   \
	VMULPS       Z2, Z14, Z6;    \
	EXP2X16(Z6, Z7, Z8);         \
	VBROADCASTSS OFF(DX), Z14;   \
	VMULPS       (R8), Z14, Z15; \
	VFMADD213PS  Z15, Z6, Z0;    \
	VMULPS       (R10), Z0, P;   \
	ADDQ         R9, R8;         \
	ADDQ         R11, R10

// STEPS8 runs the 8 positions of a block into Z1, Z3, Z5, Z9..Z13.
#define STEPS8 \
	STEPP(0, Z1);  \
	STEPP(4, Z3);  \
	STEPP(8, Z5);  \
	STEPP(12, Z9); \
	STEPP(16, Z10); \
	STEPP(20, Z11); \
	STEPP(24, Z12); \
	STEPP(28, Z13)

// FOLD256(A, B) leaves in A the 128-bit lanes [A.0+A.2, A.1+A.3, B.0+B.2,
// B.1+B.3] (T is Z6).
#define FOLD256(A, B) \
	VSHUFF64X2 $0x44, B, A, Z6; \
	VSHUFF64X2 $0xee, B, A, A;  \
	VADDPS     Z6, A, A

// FOLD128(A, B) leaves in A the lanes [A.0+A.1, A.2+A.3, B.0+B.1, B.2+B.3].
#define FOLD128(A, B) \
	VSHUFF32X4 $0x88, B, A, Z6; \
	VSHUFF32X4 $0xdd, B, A, A;  \
	VADDPS     Z6, A, A

// REDUCE8 sums each of Z1, Z3, Z5, Z9..Z13 (positions 0..7) and leaves the
// 8 sums, in order, in Y1.
#define REDUCE8 \
	FOLD256(Z1, Z3);   \
	FOLD256(Z5, Z9);   \
	FOLD256(Z10, Z11); \
	FOLD256(Z12, Z13); \
	FOLD128(Z1, Z5);   \
	FOLD128(Z10, Z12); \
	VSHUFPS    $0x88, Z10, Z1, Z6; \
	VSHUFPS    $0xdd, Z10, Z1, Z1; \
	VADDPS     Z6, Z1, Z1;         \
	VSHUFPS    $0xb1, Z1, Z1, Z6;  \
	VADDPS     Z6, Z1, Z1;         \
	VPERMPS    Z1, Z27, Z1

// PREFETCH3 prefetches the next 32 bytes of the three streams BX, R12, AX.
#define PREFETCH3 \
	PREFETCHT0 (BX);  \
	PREFETCHT0 (R12); \
	PREFETCHT0 (AX);  \
	ADDQ $32, BX;     \
	ADDQ $32, R12;    \
	ADDQ $32, AX

#define ADVANCEZ \
	ADDQ $4, SI;   \
	ADDQ $4, DX;   \
	ADDQ $4, DI;   \
	ADDQ R9, R8;   \
	ADDQ R11, R10; \
	DECQ CX

// func expAVX512(dst, src *float32, n int)
// dst[i] = exp(src[i]) for i < n; n is a multiple of 16.
TEXT ·expAVX512(SB), NOSPLIT, $0-24
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	SHRQ         $4, CX
	JZ           zexpdone
	VBROADCASTSS Z_EXPHI, Z4
	LOADZCONST

zexploop:
	VMOVUPS (SI), Z0
	EXP16(Z0, Z1, Z2, Z4)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     zexploop

zexpdone:
	VZEROUPPER
	RET

// func prepAVX512(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)
// prepAVX2 with 16 lanes; n is a multiple of 16.
TEXT ·prepAVX512(SB), NOSPLIT, $0-45
	MOVQ         dt+0(FP), DI
	MOVQ         dtu+8(FP), SI
	MOVQ         delta+16(FP), DX
	MOVQ         u+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS bias+40(FP), Z13
	MOVBLZX      softplus+44(FP), AX
	VBROADCASTSS Z_EXPHI, Z4
	LOADZCONST
	SHRQ         $4, CX
	JZ           zprepdone

zpreploop:
	VADDPS (DX), Z13, Z0
	TESTQ  AX, AX
	JZ     zprepstore
	SOFTPLUS16(Z0, Z1, Z2, Z3, Z5, Z4)

zprepstore:
	VMOVUPS Z0, (DI)
	VMULPS  (R8), Z0, Z1
	VMOVUPS Z1, (SI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, R8
	DECQ    CX
	JNZ     zpreploop

zprepdone:
	VZEROUPPER
	RET

// func gateAVX512(y, u, z *float32, n int, dskip float32, hasD bool)
// gateAVX2 with 16 lanes; n is a multiple of 16.
TEXT ·gateAVX512(SB), NOSPLIT, $0-37
	MOVQ         y+0(FP), DI
	MOVQ         u+8(FP), SI
	MOVQ         z+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS dskip+32(FP), Z13
	MOVBLZX      hasD+36(FP), AX
	VBROADCASTSS Z_EXPHI, Z4
	LOADZCONST
	SHRQ         $4, CX
	JZ           zgatedone

zgateloop:
	VMOVUPS (DI), Z0
	TESTQ   AX, AX
	JZ      zgatez
	VFMADD231PS (SI), Z13, Z0

zgatez:
	VMOVUPS    (DX), Z1
	VPXORD.BCST Z_SIGN, Z1, Z2
	EXP16(Z2, Z3, Z5, Z4)
	VADDPS.BCST Z_ONE, Z2, Z2
	VDIVPS     Z2, Z1, Z1
	VMULPS     Z1, Z0, Z0
	VMOVUPS    Z0, (DI)
	ADDQ       $64, DI
	ADDQ       $64, SI
	ADDQ       $64, DX
	DECQ       CX
	JNZ        zgateloop

zgatedone:
	VZEROUPPER
	RET

// func exp2AVX512(dst, src *float32, n int)
// dst[i] = 2^src[i] with the exponential of the row kernel (EXP2X16), for
// i < n; n is a multiple of 16.
TEXT ·exp2AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $4, CX
	JZ   zexp2done
	LOADZCONST2

zexp2loop:
	VMOVUPS (SI), Z0
	EXP2X16(Z0, Z1, Z2)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     zexp2loop

zexp2done:
	VZEROUPPER
	RET

// func scan16AVX512(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool, pf0, pf1, pf2 uintptr)
// Same contract as scan16AVX2, except that a holds A·log₂e (the kernel
// computes 2^{Δ·a} = e^{ΔA}), and that every 8-position block also
// prefetches 32 bytes at each of the addresses pf0, pf1, pf2 (advancing them),
// so that the inputs of the next row stream in while this one computes.
// Prefetches never fault; callers pass addresses already cached when there is
// nothing to fetch.
TEXT ·scan16AVX512(SB), NOSPLIT, $0-112
	MOVQ         y+0(FP), DI
	MOVQ         dt+8(FP), SI
	MOVQ         dtu+16(FP), DX
	MOVQ         a+24(FP), BX
	MOVQ         bp+32(FP), R8
	MOVQ         bstride+40(FP), R9
	SHLQ         $2, R9
	MOVQ         cp+48(FP), R10
	MOVQ         cstride+56(FP), R11
	SHLQ         $2, R11
	MOVQ         h+64(FP), R12
	MOVQ         n+72(FP), CX
	MOVBLZX      add+80(FP), AX
	LOADZCONST2
	VMOVUPS      (BX), Z2
	VMOVUPS      (R12), Z0
	MOVQ         pf0+88(FP), BX
	MOVQ         pf1+96(FP), R12
	VMOVDQU32    permy8<>(SB), Z27
	MOVQ         CX, R13
	SHRQ         $3, R13
	ANDQ         $7, CX
	TESTQ        AX, AX
	MOVQ         pf2+104(FP), AX
	JNZ          z16add8

z16set8:
	TESTQ  R13, R13
	JZ     z16set1
	PREFETCH3
	STEPS8
	REDUCE8
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    R13
	JMP     z16set8

z16set1:
	TESTQ  CX, CX
	JZ     z16done
	STEP16Z
	VMOVSS X5, (DI)
	ADVANCEZ
	JMP    z16set1

z16add8:
	TESTQ  R13, R13
	JZ     z16add1
	PREFETCH3
	STEPS8
	REDUCE8
	VADDPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    R13
	JMP     z16add8

z16add1:
	TESTQ  CX, CX
	JZ     z16done
	STEP16Z
	VADDSS (DI), X5, X5
	VMOVSS X5, (DI)
	ADVANCEZ
	JMP    z16add1

z16done:
	MOVQ    h+64(FP), R12
	VMOVUPS Z0, (R12)
	VZEROUPPER
	RET

// Constants, broadcast from 4 bytes.
DATA scanconst512<>+0(SB)/4, $0x3fb8aa3b // 1.4426950408889634
DATA scanconst512<>+4(SB)/4, $0x3f318000 // 0.693359375
DATA scanconst512<>+8(SB)/4, $0xb95e8083 // -0.00021219444
DATA scanconst512<>+12(SB)/4, $0x42b1999a // 88.8
DATA scanconst512<>+16(SB)/4, $0xc2ac0000 // -86.0
DATA scanconst512<>+20(SB)/4, $0x3f800000 // 1.0
DATA scanconst512<>+24(SB)/4, $0x3f800000 // 1.0
DATA scanconst512<>+28(SB)/4, $0x3f000000 // 0.5
DATA scanconst512<>+32(SB)/4, $0x3e2aaa6e // 0.16666576266288757
DATA scanconst512<>+36(SB)/4, $0x3d2aaa8c // 0.04166655242443085
DATA scanconst512<>+40(SB)/4, $0x3c090600 // 0.00836324691772461
DATA scanconst512<>+44(SB)/4, $0x3ab688cd // 0.001392626785673201
DATA scanconst512<>+48(SB)/4, $0x3f800000 // 1.0
DATA scanconst512<>+52(SB)/4, $0x40000000 // 2.0
DATA scanconst512<>+56(SB)/4, $0x3eaaaaab // 0.3333333333333333
DATA scanconst512<>+60(SB)/4, $0x3e4ccccd // 0.2
DATA scanconst512<>+64(SB)/4, $0x3e124925 // 0.14285714285714285
DATA scanconst512<>+68(SB)/4, $0x3de38e39 // 0.1111111111111111
DATA scanconst512<>+72(SB)/4, $0x3dba2e8c // 0.09090909090909091
DATA scanconst512<>+76(SB)/4, $0x3d9d89d9 // 0.07692307692307693
DATA scanconst512<>+80(SB)/4, $0x80000000
DATA scanconst512<>+84(SB)/4, $0x43004000 // 128.25
DATA scanconst512<>+88(SB)/4, $0xc2f80000 // -124.0
DATA scanconst512<>+92(SB)/4, $0x3f317218 // 0.6931471824645996
DATA scanconst512<>+96(SB)/4, $0x3e75fdf0 // 0.24022650718688965
DATA scanconst512<>+100(SB)/4, $0x3d6357f6 // 0.055503807961940765
DATA scanconst512<>+104(SB)/4, $0x3c1d9540 // 0.009618103504180908
DATA scanconst512<>+108(SB)/4, $0x3aaf6486 // 0.0013381398748606443
DATA scanconst512<>+112(SB)/4, $0x3921f3c4 // 0.00015444966265931726
GLOBL scanconst512<>(SB), RODATA|NOPTR, $116

// VPERMPS index gathering y_l..y_{l+7} out of the reduction tree of REDUCE8.
DATA permy8<>+0(SB)/4, $0
DATA permy8<>+4(SB)/4, $4
DATA permy8<>+8(SB)/4, $8
DATA permy8<>+12(SB)/4, $12
DATA permy8<>+16(SB)/4, $2
DATA permy8<>+20(SB)/4, $6
DATA permy8<>+24(SB)/4, $10
DATA permy8<>+28(SB)/4, $14
DATA permy8<>+32(SB)/4, $0
DATA permy8<>+36(SB)/4, $0
DATA permy8<>+40(SB)/4, $0
DATA permy8<>+44(SB)/4, $0
DATA permy8<>+48(SB)/4, $0
DATA permy8<>+52(SB)/4, $0
DATA permy8<>+56(SB)/4, $0
DATA permy8<>+60(SB)/4, $0
GLOBL permy8<>(SB), RODATA|NOPTR, $64
