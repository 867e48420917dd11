//go:build !purego

#include "textflag.h"

// The backward of the depthwise convolution for one output row l whose K
// taps all fall inside the sequence (ops_conv1d.go, conv1dBackwardKC): with
// gy = ∂y_l (C), x and gx at row l − left (rows k = 0..K−1 at strides ldx,
// ldgx), wt and gwt (K, C),
//
//	gbias += gy;  for k < K: gwt[k] += gy ⊙ x_k;  gx_k += wt[k] ⊙ gy
//
// as fused multiply-adds, the operations of the per-tap fmaVec calls it
// replaces, so every element gets the same bits; only the loop order
// (channel blocks outside, taps inside) differs, and no element is
// touched twice in one row.

// func convBackRowAVX2(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)
// nc a multiple of 8, nk ≥ 1.
TEXT ·convBackRowAVX2(SB), NOSPLIT, $0-80
	MOVQ nc+0(FP), CX
	MOVQ gy+16(FP), SI
	MOVQ gbias+56(FP), R8
	MOVQ ldx+32(FP), R12
	SHLQ $2, R12
	MOVQ ldgx+72(FP), R13
	SHLQ $2, R13
	MOVQ CX, R14
	SHLQ $2, R14              // bytes per (K, C) row
	XORQ AX, AX               // byte offset of the channel block
	SHRQ $3, CX
	JZ   cb2done

cb2blk:
	VMOVUPS (SI)(AX*1), Y0    // g
	VMOVUPS (R8)(AX*1), Y1
	VADDPS  Y0, Y1, Y1        // gbias += g
	VMOVUPS Y1, (R8)(AX*1)
	MOVQ    x+24(FP), DI
	ADDQ    AX, DI
	MOVQ    gx+64(FP), DX
	ADDQ    AX, DX
	MOVQ    wt+40(FP), R9
	ADDQ    AX, R9
	MOVQ    gwt+48(FP), R10
	ADDQ    AX, R10
	MOVQ    nk+8(FP), R11

cb2k:
	VMOVUPS     (R10), Y2
	VFMADD231PS (DI), Y0, Y2  // gwt[k] += g x_k
	VMOVUPS     Y2, (R10)
	VMOVUPS     (DX), Y4
	VMOVUPS     (R9), Y5
	VFMADD231PS Y0, Y5, Y4    // gx_k += wt[k] g
	VMOVUPS     Y4, (DX)
	ADDQ        R12, DI
	ADDQ        R13, DX
	ADDQ        R14, R9
	ADDQ        R14, R10
	DECQ        R11
	JNZ         cb2k

	ADDQ $32, AX
	DECQ CX
	JNZ  cb2blk

cb2done:
	VZEROUPPER
	RET

// func convBackRowAVX512(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)
// convBackRowAVX2 on 16 channels per block (the last 8 under a mask).
TEXT ·convBackRowAVX512(SB), NOSPLIT, $0-80
	MOVQ  nc+0(FP), CX
	MOVQ  gy+16(FP), SI
	MOVQ  gbias+56(FP), R8
	MOVQ  ldx+32(FP), R12
	SHLQ  $2, R12
	MOVQ  ldgx+72(FP), R13
	SHLQ  $2, R13
	MOVQ  CX, R14
	SHLQ  $2, R14
	XORQ  AX, AX
	MOVL  $0xffff, BX
	KMOVW BX, K1

cbzblk:
	CMPQ  CX, $16
	JGE   cbzbody
	TESTQ CX, CX
	JZ    cbzdone
	MOVL  $0xff, BX
	KMOVW BX, K1
	MOVQ  $16, CX

cbzbody:
	VMOVUPS.Z (SI)(AX*1), K1, Z0 // g
	VMOVUPS.Z (R8)(AX*1), K1, Z1
	VADDPS    Z0, Z1, Z1         // gbias += g
	VMOVUPS   Z1, K1, (R8)(AX*1)
	MOVQ      x+24(FP), DI
	ADDQ      AX, DI
	MOVQ      gx+64(FP), DX
	ADDQ      AX, DX
	MOVQ      wt+40(FP), R9
	ADDQ      AX, R9
	MOVQ      gwt+48(FP), R10
	ADDQ      AX, R10
	MOVQ      nk+8(FP), R11

cbzk:
	VMOVUPS.Z   (R10), K1, Z2
	VMOVUPS.Z   (DI), K1, Z3
	VFMADD231PS Z3, Z0, Z2       // gwt[k] += g x_k
	VMOVUPS     Z2, K1, (R10)
	VMOVUPS.Z   (DX), K1, Z4
	VMOVUPS.Z   (R9), K1, Z5
	VFMADD231PS Z0, Z5, Z4       // gx_k += wt[k] g
	VMOVUPS     Z4, K1, (DX)
	ADDQ        R12, DI
	ADDQ        R13, DX
	ADDQ        R14, R9
	ADDQ        R14, R10
	DECQ        R11
	JNZ         cbzk

	ADDQ $64, AX
	SUBQ $16, CX
	JMP  cbzblk

cbzdone:
	VZEROUPPER
	RET
