//go:build !purego

// AVX2+FMA kernels of the activations on float32 vectors (activation_vec.go):
// σ, SiLU, softplus and their adjoints, 8 lanes per step, n a multiple of 8.
// The exponential is fastexp.go's (EXP8, fastexp_amd64.h).

#include "textflag.h"
#include "fastexp_amd64.h"

// SIGMOID8 sets S = 1/(1 + e^{−X}) (X kept); T1..T4 clobbered, HI = expHi.
#define SIGMOID8(X, S, T1, T2, T3, HI) \
	VXORPS  C_SIGN, X, T1;     \
	EXP8(T1, T2, T3, S, HI);   \
	VADDPS  C_ONE, T1, T1;     \
	VMOVUPS C_ONE, S;          \
	VDIVPS  T1, S, S

// func sigmoidAVX2(dst, src *float32, n int)
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	SHRQ    $3, CX
	JZ      sigdone
	VMOVUPS C_EXPHI, Y15

sigloop:
	VMOVUPS (SI), Y0
	SIGMOID8(Y0, Y1, Y2, Y3, Y4, Y15)
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sigloop

sigdone:
	VZEROUPPER
	RET

// func siluAVX2(dst, src *float32, n int)
// dst[i] = x/(1 + e^{−x}), x = src[i].
TEXT ·siluAVX2(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	SHRQ    $3, CX
	JZ      siludone
	VMOVUPS C_EXPHI, Y15

siluloop:
	VMOVUPS (SI), Y0
	VXORPS  C_SIGN, Y0, Y1
	EXP8(Y1, Y2, Y3, Y4, Y15)
	VADDPS  C_ONE, Y1, Y1
	VDIVPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     siluloop

siludone:
	VZEROUPPER
	RET

// func siluGradAVX2(gx, x, gy *float32, n int, acc bool)
// g = gy·σ(x)·(1 + x(1 − σ(x))); gx[i] = g, or gx[i] += g when acc.
TEXT ·siluGradAVX2(SB), NOSPLIT, $0-33
	MOVQ    gx+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    gy+16(FP), DX
	MOVQ    n+24(FP), CX
	MOVBLZX acc+32(FP), AX
	SHRQ    $3, CX
	JZ      sgdone
	VMOVUPS C_EXPHI, Y15

sgloop:
	VMOVUPS     (SI), Y0
	SIGMOID8(Y0, Y1, Y2, Y3, Y4, Y15)
	VMOVUPS     C_ONE, Y5
	VSUBPS      Y1, Y5, Y5         // 1 − σ
	VFMADD213PS C_ONE, Y0, Y5      // 1 + x(1 − σ)
	VMULPS      Y1, Y5, Y5
	VMULPS      (DX), Y5, Y5
	TESTQ       AX, AX
	JZ          sgstore
	VADDPS      (DI), Y5, Y5

sgstore:
	VMOVUPS Y5, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sgloop

sgdone:
	VZEROUPPER
	RET

// func softplusAVX2(dst, src *float32, n int)
// dst[i] = ln(1 + e^x) = max(x, 0) + log1p(e^{−|x|}), x = src[i].
TEXT ·softplusAVX2(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	SHRQ    $3, CX
	JZ      spdone
	VMOVUPS C_EXPHI, Y15

sploop:
	VMOVUPS (SI), Y0
	SOFTPLUS8(Y0, Y1, Y2, Y3, Y4, Y15)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sploop

spdone:
	VZEROUPPER
	RET

// func sigmoidMulAVX2(dst, x, gy *float32, n int)
// dst[i] = gy[i]·σ(x[i]) (softplus's adjoint); dst may alias gy.
TEXT ·sigmoidMulAVX2(SB), NOSPLIT, $0-32
	MOVQ    dst+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    gy+16(FP), DX
	MOVQ    n+24(FP), CX
	SHRQ    $3, CX
	JZ      smdone
	VMOVUPS C_EXPHI, Y15

smloop:
	VMOVUPS (SI), Y0
	SIGMOID8(Y0, Y1, Y2, Y3, Y4, Y15)
	VMULPS  (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     smloop

smdone:
	VZEROUPPER
	RET
