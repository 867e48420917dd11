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

// func fmaVecAVX512(y, a, b *float32, n int)
// fmaVecAVX2 on 16 lanes, n a multiple of 8 (the last 8 lanes under a
// mask): the same fused operation per element, so the same bits.
TEXT ·fmaVecAVX512(SB), NOSPLIT, $0-32
	MOVQ  y+0(FP), DI
	MOVQ  a+8(FP), SI
	MOVQ  b+16(FP), DX
	MOVQ  n+24(FP), CX
	MOVL  $0xffff, AX
	KMOVW AX, K1

fmaz:
	CMPQ CX, $16
	JLT  fmaztail

fmazbody:
	VMOVUPS.Z   (DI), K1, Z0
	VMOVUPS.Z   (SI), K1, Z1
	VMOVUPS.Z   (DX), K1, Z2
	VFMADD231PS Z2, Z1, Z0
	VMOVUPS     Z0, K1, (DI)
	ADDQ        $64, DI
	ADDQ        $64, SI
	ADDQ        $64, DX
	SUBQ        $16, CX
	JMP         fmaz

fmaztail:
	TESTQ CX, CX
	JZ    fmazdone
	MOVL  $0xff, AX
	KMOVW AX, K1
	MOVQ  $16, CX
	JMP   fmazbody

fmazdone:
	VZEROUPPER
	RET
