//go:build !purego

// AVX2+FMA kernels of the training scan (scan_tokens.go and scan_tokens_backward.go) for one
// position l and all channels d, with N a multiple of 8 (8 states per YMM
// register). They are the vector forms of scanStep, scanStateStep and
// scanAdjointStep; exp(ΔA) is computed beforehand (decays), so these kernels
// only multiply and add. Pointers address row-major (D, N) blocks or (N),
// (D) vectors as documented in scan_tokens_amd64.go.

#include "textflag.h"
#include "scan_tokens_adj_amd64.h"
#include "fastexp_amd64.h"

// HSUM leaves the sum of the 8 lanes of Y in the low lane of X (T clobbered).
#define HSUM(Y, X, T) \
	VEXTRACTF128 $1, Y, T; \
	VADDPS       T, X, X;  \
	VHADDPS      X, X, X;  \
	VHADDPS      X, X, X

// func scanRowAVX2(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32)
// For d < nd: h[d,:] = abar[d,:]·h[d,:] + Δ_d u_d b;  y[d] = c·h[d,:] + dskip[d] u_d.
TEXT ·scanRowAVX2(SB), NOSPLIT, $0-80
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ u+16(FP), SI
	MOVQ delta+24(FP), DX
	MOVQ abar+32(FP), R9
	MOVQ h+40(FP), R10
	MOVQ b+48(FP), R11
	MOVQ c+56(FP), R12
	MOVQ dskip+64(FP), R13
	MOVQ y+72(FP), DI
	SHRQ $3, R8                // blocks of 8 states
	TESTQ CX, CX
	JZ    rowdone

rowd:
	VMOVSS       (SI), X6      // u_d
	VMULSS       (DX), X6, X7  // Δ_d u_d
	VBROADCASTSS X7, Y7
	VXORPS       Y0, Y0, Y0    // Σ c·h
	MOVQ         R8, BX
	XORQ         AX, AX        // byte offset into b, c

rown:
	VMOVUPS     (R10), Y1
	VMULPS      (R9), Y1, Y1
	VMOVUPS     (R11)(AX*1), Y2
	VFMADD231PS Y2, Y7, Y1
	VMOVUPS     Y1, (R10)
	VMOVUPS     (R12)(AX*1), Y3
	VFMADD231PS Y3, Y1, Y0
	ADDQ        $32, R9
	ADDQ        $32, R10
	ADDQ        $32, AX
	DECQ        BX
	JNZ         rown

	HSUM(Y0, X0, X1)
	VMOVSS      (R13), X2
	VFMADD231SS X6, X2, X0     // + dskip_d u_d
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DX
	ADDQ        $4, R13
	ADDQ        $4, DI
	DECQ        CX
	JNZ         rowd

rowdone:
	VZEROUPPER
	RET

// func scanStateRowAVX2(nd, nn int, u, delta, abar, h, b *float32)
// For d < nd: h[d,:] = abar[d,:]·h[d,:] + Δ_d u_d b.
TEXT ·scanStateRowAVX2(SB), NOSPLIT, $0-56
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ u+16(FP), SI
	MOVQ delta+24(FP), DX
	MOVQ abar+32(FP), R9
	MOVQ h+40(FP), R10
	MOVQ b+48(FP), R11
	SHRQ $3, R8
	TESTQ CX, CX
	JZ    statedone

stated:
	VMOVSS       (SI), X6
	VMULSS       (DX), X6, X7
	VBROADCASTSS X7, Y7
	MOVQ         R8, BX
	XORQ         AX, AX

staten:
	VMOVUPS     (R10), Y1
	VMULPS      (R9), Y1, Y1
	VMOVUPS     (R11)(AX*1), Y2
	VFMADD231PS Y2, Y7, Y1
	VMOVUPS     Y1, (R10)
	ADDQ        $32, R9
	ADDQ        $32, R10
	ADDQ        $32, AX
	DECQ        BX
	JNZ         staten

	ADDQ $4, SI
	ADDQ $4, DX
	DECQ CX
	JNZ  stated

statedone:
	VZEROUPPER
	RET

// func scanAdjRowAVX2(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)
// One position of the adjoint recurrence (scanAdjointStep): per channel d,
// with gn = carry + gy_d c, the new carry gn·abar and t = gn·abar·hp:
//   gbc[N:2N] += gy_d h,  gbc[0:N] += Δ_d u_d gn,  ga[d,:] += Δ_d t,
//   gdelta[d] = Σ t·a + u_d Σ gn·b,  gu[d] = Δ_d Σ gn·b + dskip[d] gy_d,
//   gd[d] += gy_d u_d.
// The d-th entry of the (D) vectors is at byte offset (nd − CX)·4.
TEXT ·scanAdjRowAVX2(SB), NOSPLIT, $0-144
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ a+32(FP), R9          // A (D, N)
	MOVQ b+40(FP), R11         // B_l (N)
	MOVQ c+48(FP), R12         // C_l (N)
	MOVQ h+72(FP), R10         // h_l (D, N)
	MOVQ hp+80(FP), R13        // h_{l-1} (D, N)
	MOVQ abar+88(FP), R14      // Ā_l (D, N)
	MOVQ carry+96(FP), R15         // adjoint carry (D, N)
	MOVQ ga+104(FP), DI        // ∂A (D, N)
	MOVQ gbc+112(FP), SI       // ∂B_l (N)
	LEAQ (SI)(R8*4), DX        // ∂C_l (N)
	TESTQ CX, CX
	JZ    adjdone
	CMPQ  R8, $16
	JEQ   adj16                // N = 16: ∂B_l, ∂C_l held in registers
	SHRQ  $3, R8

adjd:
	MOVQ         nd+0(FP), AX
	SUBQ         CX, AX
	SHLQ         $2, AX              // byte offset of channel d
	ADJLOADS                         // u_d, Δ_d, gy_d in X8, X9, X10
	VMULSS       X8, X9, X11         // Δ_d u_d
	VBROADCASTSS X9, Y12
	VBROADCASTSS X10, Y13
	VBROADCASTSS X11, Y14
	VXORPS       Y0, Y0, Y0          // Σ t·a
	VXORPS       Y15, Y15, Y15       // Σ gn·b
	MOVQ         R8, BX
	XORQ         AX, AX              // byte offset into b, c, ∂B, ∂C

adjn:
	VMOVUPS     (R15), Y1            // g
	VFMADD231PS (R12)(AX*1), Y13, Y1 // gn = g + gy c
	VMOVUPS     (DX)(AX*1), Y3
	VFMADD231PS (R10), Y13, Y3       // ∂C += gy h
	VMOVUPS     Y3, (DX)(AX*1)
	VMULPS      (R14), Y1, Y4        // ga = gn·Ā
	VMULPS      (R13), Y4, Y5        // t = ga·h_{l-1}
	VFMADD231PS (R9), Y5, Y0         // Σ t·a
	VMOVUPS     (DI), Y6
	VFMADD231PS Y5, Y12, Y6          // ∂A += Δ t
	VMOVUPS     Y6, (DI)
	VMOVUPS     (SI)(AX*1), Y6
	VFMADD231PS Y1, Y14, Y6          // ∂B += Δu gn
	VMOVUPS     Y6, (SI)(AX*1)
	VFMADD231PS (R11)(AX*1), Y1, Y15 // Σ gn·b
	VMOVUPS     Y4, (R15)            // carry
	ADDQ        $32, R9
	ADDQ        $32, R10
	ADDQ        $32, R13
	ADDQ        $32, R14
	ADDQ        $32, R15
	ADDQ        $32, DI
	ADDQ        $32, AX
	DECQ        BX
	JNZ         adjn

	HSUM(Y0, X0, X1)                 // X0 = Σ t·a
	HSUM(Y15, X15, X1)               // X15 = Σ gn·b
	MOVQ        nd+0(FP), AX
	SUBQ        CX, AX
	SHLQ        $2, AX
	ADJTAIL(X2)                      // ∂Δ_d, ∂u_d, ∂D_d
	DECQ        CX
	JNZ         adjd

adjdone:
	VZEROUPPER
	RET

// N = 16, the models' d_state: the loop above with its two 8-state blocks
// written out, and ∂B_l, ∂C_l (which every channel adds to) kept in Y7, Y11
// and Y2, Y3 across the channels instead of a store and a reload per channel
// and block. That round trip through memory put a store-forwarding delay on
// the chain of additions from one channel to the next; every operation and
// its order, and so every bit, is that of the loop above.
adj16:
	VMOVUPS (SI), Y7                 // ∂B_l, states 0..7
	VMOVUPS 32(SI), Y11              // states 8..15
	VMOVUPS (DX), Y2                 // ∂C_l, states 0..7
	VMOVUPS 32(DX), Y3               // states 8..15
	XORQ    AX, AX                   // byte offset of channel d

adj16d:
	ADJLOADS                         // u_d, Δ_d, gy_d in X8, X9, X10
	VMULSS       X8, X9, X6          // Δ_d u_d
	VBROADCASTSS X9, Y12
	VBROADCASTSS X10, Y13
	VBROADCASTSS X6, Y14
	VXORPS       Y0, Y0, Y0          // Σ t·a
	VXORPS       Y15, Y15, Y15       // Σ gn·b

	VMOVUPS     (R15), Y1            // g, states 0..7
	VFMADD231PS (R12), Y13, Y1       // gn = g + gy c
	VFMADD231PS (R10), Y13, Y2       // ∂C += gy h
	VMULPS      (R14), Y1, Y4        // ga = gn·Ā
	VMULPS      (R13), Y4, Y5        // t = ga·h_{l-1}
	VFMADD231PS (R9), Y5, Y0         // Σ t·a
	VMOVUPS     (DI), Y6
	VFMADD231PS Y5, Y12, Y6          // ∂A += Δ t
	VMOVUPS     Y6, (DI)
	VFMADD231PS Y1, Y14, Y7          // ∂B += Δu gn
	VFMADD231PS (R11), Y1, Y15       // Σ gn·b
	VMOVUPS     Y4, (R15)            // carry

	VMOVUPS     32(R15), Y1          // states 8..15, the same
	VFMADD231PS 32(R12), Y13, Y1
	VFMADD231PS 32(R10), Y13, Y3
	VMULPS      32(R14), Y1, Y4
	VMULPS      32(R13), Y4, Y5
	VFMADD231PS 32(R9), Y5, Y0
	VMOVUPS     32(DI), Y6
	VFMADD231PS Y5, Y12, Y6
	VMOVUPS     Y6, 32(DI)
	VFMADD231PS Y1, Y14, Y11
	VFMADD231PS 32(R11), Y1, Y15
	VMOVUPS     Y4, 32(R15)
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, R13
	ADDQ        $64, R14
	ADDQ        $64, R15
	ADDQ        $64, DI

	HSUM(Y0, X0, X1)                 // X0 = Σ t·a
	HSUM(Y15, X15, X1)               // X15 = Σ gn·b
	ADJTAIL(X6)                      // ∂Δ_d, ∂u_d, ∂D_d
	ADDQ        $4, AX
	DECQ        CX
	JNZ         adj16d

	VMOVUPS Y7, (SI)
	VMOVUPS Y11, 32(SI)
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, 32(DX)
	VZEROUPPER
	RET

// func expRowsAVX2(nd, nn int, delta, a, out *float32)
// out[d, :] = exp(Δ_d a[d, :]) for d < nd: the products Δ_d a and expAVX2 in one
// pass (the same operations, so the same bits).
TEXT ·expRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ    nd+0(FP), CX
	MOVQ    nn+8(FP), R8
	MOVQ    delta+16(FP), DX
	MOVQ    a+24(FP), SI
	MOVQ    out+32(FP), DI
	SHRQ    $3, R8
	VMOVUPS C_EXPHI, Y15
	TESTQ   CX, CX
	JZ      exprdone

exprd:
	VBROADCASTSS (DX), Y1
	MOVQ         R8, BX

exprn:
	VMULPS  (SI), Y1, Y0
	EXP8(Y0, Y2, Y3, Y4, Y15)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    BX
	JNZ     exprn

	ADDQ $4, DX
	DECQ CX
	JNZ  exprd

exprdone:
	VZEROUPPER
	RET
