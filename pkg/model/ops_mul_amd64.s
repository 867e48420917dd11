//go:build !purego

#include "textflag.h"

// func mulVecAVX2(dst, a, b *float32, n int)
// dst[i] = a[i]·b[i] for i < n, n a multiple of 8.
TEXT ·mulVecAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   mulvdone

mulvloop:
	VMOVUPS (SI), Y0
	VMULPS  (DX), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     mulvloop

mulvdone:
	VZEROUPPER
	RET

// func mulVecAVX512(dst, a, b *float32, n int)
// mulVecAVX2 on 16 lanes, n a multiple of 8 (the last 8 under a mask).
TEXT ·mulVecAVX512(SB), NOSPLIT, $0-32
	MOVQ  dst+0(FP), DI
	MOVQ  a+8(FP), SI
	MOVQ  b+16(FP), DX
	MOVQ  n+24(FP), CX
	MOVL  $0xffff, AX
	KMOVW AX, K1

mulz:
	CMPQ CX, $16
	JLT  mulztail

mulzbody:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	VMULPS    Z1, Z0, Z0
	VMOVUPS   Z0, K1, (DI)
	ADDQ      $64, DI
	ADDQ      $64, SI
	ADDQ      $64, DX
	SUBQ      $16, CX
	JMP       mulz

mulztail:
	TESTQ CX, CX
	JZ    mulzdone
	MOVL  $0xff, AX
	KMOVW AX, K1
	MOVQ  $16, CX
	JMP   mulzbody

mulzdone:
	VZEROUPPER
	RET
