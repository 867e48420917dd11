//go:build !purego

#include "textflag.h"

// func fmaVecAVX2(y, a, b *float32, n int)
// y[i] += a[i]·b[i] for i < n (fused), n a multiple of 8.
TEXT ·fmaVecAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   fmavdone

fmavloop:
	VMOVUPS     (DI), Y0
	VMOVUPS     (SI), Y1
	VFMADD231PS (DX), Y1, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         fmavloop

fmavdone:
	VZEROUPPER
	RET
