//go:build !purego

// AVX2+FMA micro-kernels of the float32 matrix product (ops_gemm.go):
// C[0:4, 0:W] += Σ_p A[i,p] B[p, 0:W] for W = 16 or 8, with A addressed
// through two strides (row i at i·sa, column p at p·sk, in elements) so that
// the same kernel serves A and Aᵀ. Four rows × W columns of C stay in
// registers for the whole k loop. With load = 0 the kernels overwrite C
// (C = A·B) instead of reading it first.

#include "textflag.h"

// func sgemm4x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)
TEXT ·sgemm4x16(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ sa+16(FP), R8
	MOVQ sk+24(FP), R10
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R11
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R12
	SHLQ $2, R8
	SHLQ $2, R10
	SHLQ $2, R11
	SHLQ $2, R12
	LEAQ (R8)(R8*2), R9
	LEAQ (R12)(R12*2), R13
	MOVQ    load+64(FP), DX
	TESTQ   DX, DX
	JNZ     load16
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	VXORPS  Y4, Y4, Y4
	VXORPS  Y5, Y5, Y5
	VXORPS  Y6, Y6, Y6
	VXORPS  Y7, Y7, Y7
	JMP     start16

load16:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS (DI)(R12*1), Y2
	VMOVUPS 32(DI)(R12*1), Y3
	VMOVUPS (DI)(R12*2), Y4
	VMOVUPS 32(DI)(R12*2), Y5
	VMOVUPS (DI)(R13*1), Y6
	VMOVUPS 32(DI)(R13*1), Y7

start16:
	TESTQ   CX, CX
	JZ      store16

loop16:
	VMOVUPS      (BX), Y8
	VMOVUPS      32(BX), Y9
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y9, Y10, Y1
	VBROADCASTSS (AX)(R8*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VFMADD231PS  Y9, Y11, Y3
	VBROADCASTSS (AX)(R8*2), Y12
	VFMADD231PS  Y8, Y12, Y4
	VFMADD231PS  Y9, Y12, Y5
	VBROADCASTSS (AX)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	VFMADD231PS  Y9, Y13, Y7
	ADDQ         R10, AX
	ADDQ         R11, BX
	DECQ         CX
	JNZ          loop16

store16:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (DI)(R12*1)
	VMOVUPS Y3, 32(DI)(R12*1)
	VMOVUPS Y4, (DI)(R12*2)
	VMOVUPS Y5, 32(DI)(R12*2)
	VMOVUPS Y6, (DI)(R13*1)
	VMOVUPS Y7, 32(DI)(R13*1)
	VZEROUPPER
	RET

// func sgemm4x8(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)
TEXT ·sgemm4x8(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ sa+16(FP), R8
	MOVQ sk+24(FP), R10
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R11
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R12
	SHLQ $2, R8
	SHLQ $2, R10
	SHLQ $2, R11
	SHLQ $2, R12
	LEAQ (R8)(R8*2), R9
	LEAQ (R12)(R12*2), R13
	MOVQ    load+64(FP), DX
	TESTQ   DX, DX
	JNZ     load8
	VXORPS  Y0, Y0, Y0
	VXORPS  Y2, Y2, Y2
	VXORPS  Y4, Y4, Y4
	VXORPS  Y6, Y6, Y6
	JMP     start8

load8:
	VMOVUPS (DI), Y0
	VMOVUPS (DI)(R12*1), Y2
	VMOVUPS (DI)(R12*2), Y4
	VMOVUPS (DI)(R13*1), Y6

start8:
	TESTQ   CX, CX
	JZ      store8

loop8:
	VMOVUPS      (BX), Y8
	VBROADCASTSS (AX), Y10
	VFMADD231PS  Y8, Y10, Y0
	VBROADCASTSS (AX)(R8*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VBROADCASTSS (AX)(R8*2), Y12
	VFMADD231PS  Y8, Y12, Y4
	VBROADCASTSS (AX)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	ADDQ         R10, AX
	ADDQ         R11, BX
	DECQ         CX
	JNZ          loop8

store8:
	VMOVUPS Y0, (DI)
	VMOVUPS Y2, (DI)(R12*1)
	VMOVUPS Y4, (DI)(R12*2)
	VMOVUPS Y6, (DI)(R13*1)
	VZEROUPPER
	RET

// func sgemm6x16(k int, a *float32, sa, sk int, b *float32, ldb int, c *float32, ldc int, load int)
// sgemm4x16 for 6 rows: twelve accumulators, so each pair of B loads feeds
// twelve FMAs.
TEXT ·sgemm6x16(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ sa+16(FP), R8
	MOVQ sk+24(FP), R10
	MOVQ b+32(FP), BX
	MOVQ ldb+40(FP), R11
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R12
	SHLQ $2, R8
	SHLQ $2, R10
	SHLQ $2, R11
	SHLQ $2, R12
	LEAQ (R8)(R8*2), R9    // 3·sa
	LEAQ (R8)(R8*4), R14   // 5·sa
	LEAQ (R12)(R12*2), R13 // 3·ldc
	LEAQ (R12)(R12*4), R15 // 5·ldc
	MOVQ load+64(FP), DX
	TESTQ DX, DX
	JNZ   load6
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	JMP    start6

load6:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS (DI)(R12*1), Y2
	VMOVUPS 32(DI)(R12*1), Y3
	VMOVUPS (DI)(R12*2), Y4
	VMOVUPS 32(DI)(R12*2), Y5
	VMOVUPS (DI)(R13*1), Y6
	VMOVUPS 32(DI)(R13*1), Y7
	VMOVUPS (DI)(R12*4), Y8
	VMOVUPS 32(DI)(R12*4), Y9
	VMOVUPS (DI)(R15*1), Y10
	VMOVUPS 32(DI)(R15*1), Y11

start6:
	TESTQ CX, CX
	JZ    store6

loop6:
	VMOVUPS      (BX), Y12
	VMOVUPS      32(BX), Y13
	VBROADCASTSS (AX), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS (AX)(R8*1), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (AX)(R8*2), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS (AX)(R9*1), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (AX)(R8*4), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS (AX)(R14*1), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         R10, AX
	ADDQ         R11, BX
	DECQ         CX
	JNZ          loop6

store6:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (DI)(R12*1)
	VMOVUPS Y3, 32(DI)(R12*1)
	VMOVUPS Y4, (DI)(R12*2)
	VMOVUPS Y5, 32(DI)(R12*2)
	VMOVUPS Y6, (DI)(R13*1)
	VMOVUPS Y7, 32(DI)(R13*1)
	VMOVUPS Y8, (DI)(R12*4)
	VMOVUPS Y9, 32(DI)(R12*4)
	VMOVUPS Y10, (DI)(R15*1)
	VMOVUPS Y11, 32(DI)(R15*1)
	VZEROUPPER
	RET
