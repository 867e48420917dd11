//go:build !purego

// AVX-512 forms of the training-scan kernels of scan_tokens_amd64.s, for N a
// multiple of 16 (one ZMM register per 16 states of a channel). Every lane
// does the AVX2 kernels' operations in their order; the sums over the
// states (y, ∂Δ, ∂u) keep the AVX2 reduction: one 8-lane accumulator, fed
// the low and then the high half of each 16-state block (the AVX2 kernels'
// two 8-state blocks) and reduced by HSUM. So the results are bitwise those
// of the AVX2 kernels.

#include "textflag.h"
#include "scan_tokens_adj_amd64.h"
#include "fastexp_avx512_amd64.h"

// HSUM leaves the sum of the 8 lanes of Y in the low lane of X (T clobbered),
// as in scan_tokens_amd64.s.
#define HSUM(Y, X, T) \
	VEXTRACTF128 $1, Y, T; \
	VADDPS       T, X, X;  \
	VHADDPS      X, X, X;  \
	VHADDPS      X, X, X

// func scanRowAVX512(nd, nn int, u, delta, abar, h, b, c, dskip, y *float32)
// For d < nd: h[d,:] = abar[d,:]·h[d,:] + Δ_d u_d b;  y[d] = c·h[d,:] + dskip[d] u_d.
TEXT ·scanRowAVX512(SB), NOSPLIT, $0-80
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
	SHRQ $4, R8                // blocks of 16 states
	TESTQ CX, CX
	JZ    zrowdone

zrowd:
	VMOVSS       (SI), X6      // u_d
	VMULSS       (DX), X6, X7  // Δ_d u_d
	VBROADCASTSS X7, Z7
	VXORPS       Y0, Y0, Y0    // Σ c·h (8 lanes)
	MOVQ         R8, BX
	XORQ         AX, AX        // byte offset into b, c

zrown:
	VMOVUPS       (R10), Z1
	VMULPS        (R9), Z1, Z1
	VMOVUPS       (R11)(AX*1), Z2
	VFMADD231PS   Z2, Z7, Z1
	VMOVUPS       Z1, (R10)
	VFMADD231PS   (R12)(AX*1), Y1, Y0
	VEXTRACTF32X8 $1, Z1, Y3
	VFMADD231PS   32(R12)(AX*1), Y3, Y0
	ADDQ          $64, R9
	ADDQ          $64, R10
	ADDQ          $64, AX
	DECQ          BX
	JNZ           zrown

	HSUM(Y0, X0, X1)
	VMOVSS      (R13), X2
	VFMADD231SS X6, X2, X0     // + dskip_d u_d
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DX
	ADDQ        $4, R13
	ADDQ        $4, DI
	DECQ        CX
	JNZ         zrowd

zrowdone:
	VZEROUPPER
	RET

// func scanStateRowAVX512(nd, nn int, u, delta, abar, h, b *float32)
// For d < nd: h[d,:] = abar[d,:]·h[d,:] + Δ_d u_d b.
TEXT ·scanStateRowAVX512(SB), NOSPLIT, $0-56
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ u+16(FP), SI
	MOVQ delta+24(FP), DX
	MOVQ abar+32(FP), R9
	MOVQ h+40(FP), R10
	MOVQ b+48(FP), R11
	SHRQ $4, R8
	TESTQ CX, CX
	JZ    zstatedone

zstated:
	VMOVSS       (SI), X6
	VMULSS       (DX), X6, X7
	VBROADCASTSS X7, Z7
	MOVQ         R8, BX
	XORQ         AX, AX

zstaten:
	VMOVUPS     (R10), Z1
	VMULPS      (R9), Z1, Z1
	VMOVUPS     (R11)(AX*1), Z2
	VFMADD231PS Z2, Z7, Z1
	VMOVUPS     Z1, (R10)
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, AX
	DECQ        BX
	JNZ         zstaten

	ADDQ $4, SI
	ADDQ $4, DX
	DECQ CX
	JNZ  zstated

zstatedone:
	VZEROUPPER
	RET

// func scanAdjRowAVX512(nd, nn int, u, delta, a, b, c, dskip, gy, h, hp, abar, carry, ga, gbc, gu, gdelta, gd *float32)
// scanAdjRowAVX2 on 16 states per step (see there for the formulas).
TEXT ·scanAdjRowAVX512(SB), NOSPLIT, $0-144
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ a+32(FP), R9          // A (D, N)
	MOVQ b+40(FP), R11         // B_l (N)
	MOVQ c+48(FP), R12         // C_l (N)
	MOVQ h+72(FP), R10         // h_l (D, N)
	MOVQ hp+80(FP), R13        // h_{l-1} (D, N)
	MOVQ abar+88(FP), R14      // Ā_l (D, N)
	MOVQ carry+96(FP), R15     // adjoint carry (D, N)
	MOVQ ga+104(FP), DI        // ∂A (D, N)
	MOVQ gbc+112(FP), SI       // ∂B_l (N)
	LEAQ (SI)(R8*4), DX        // ∂C_l (N)
	TESTQ CX, CX
	JZ    zadjdone
	CMPQ  R8, $16
	JEQ   zadj16               // N = 16: ∂B_l, ∂C_l held in registers
	SHRQ  $4, R8

zadjd:
	MOVQ         nd+0(FP), AX
	SUBQ         CX, AX
	SHLQ         $2, AX              // byte offset of channel d
	ADJLOADS                         // u_d, Δ_d, gy_d in X8, X9, X10
	VMULSS       X8, X9, X11         // Δ_d u_d
	VBROADCASTSS X9, Z12
	VBROADCASTSS X10, Z13
	VBROADCASTSS X11, Z14
	VXORPS       Y0, Y0, Y0          // Σ t·a (8 lanes)
	VXORPS       Y15, Y15, Y15       // Σ gn·b (8 lanes)
	MOVQ         R8, BX
	XORQ         AX, AX              // byte offset into b, c, ∂B, ∂C

zadjn:
	VMOVUPS       (R15), Z1            // g
	VFMADD231PS   (R12)(AX*1), Z13, Z1 // gn = g + gy c
	VMOVUPS       (DX)(AX*1), Z3
	VFMADD231PS   (R10), Z13, Z3       // ∂C += gy h
	VMOVUPS       Z3, (DX)(AX*1)
	VMULPS        (R14), Z1, Z4        // ga = gn·Ā
	VMULPS        (R13), Z4, Z5        // t = ga·h_{l-1}
	VFMADD231PS   (R9), Y5, Y0         // Σ t·a, states 0..7 of the block
	VEXTRACTF32X8 $1, Z5, Y16
	VFMADD231PS   32(R9), Y16, Y0      // states 8..15
	VMOVUPS       (DI), Z17
	VFMADD231PS   Z5, Z12, Z17         // ∂A += Δ t
	VMOVUPS       Z17, (DI)
	VMOVUPS       (SI)(AX*1), Z18
	VFMADD231PS   Z1, Z14, Z18         // ∂B += Δu gn
	VMOVUPS       Z18, (SI)(AX*1)
	VFMADD231PS   (R11)(AX*1), Y1, Y15 // Σ gn·b, states 0..7
	VEXTRACTF32X8 $1, Z1, Y19
	VFMADD231PS   32(R11)(AX*1), Y19, Y15 // states 8..15
	VMOVUPS       Z4, (R15)            // carry
	ADDQ          $64, R9
	ADDQ          $64, R10
	ADDQ          $64, R13
	ADDQ          $64, R14
	ADDQ          $64, R15
	ADDQ          $64, DI
	ADDQ          $64, AX
	DECQ          BX
	JNZ           zadjn

	HSUM(Y0, X0, X1)                 // X0 = Σ t·a
	HSUM(Y15, X15, X1)               // X15 = Σ gn·b
	MOVQ        nd+0(FP), AX
	SUBQ        CX, AX
	SHLQ        $2, AX
	ADJTAIL(X2)                      // ∂Δ_d, ∂u_d, ∂D_d
	DECQ        CX
	JNZ         zadjd

zadjdone:
	VZEROUPPER
	RET

// N = 16, the models' d_state: the same operations in the same order, but
// ∂B_l, ∂C_l (which every channel adds to) stay in Z20, Z21 across the
// channels and b, c in Z22, Z23, instead of a store and a reload of ∂B_l and
// ∂C_l per channel. That round trip through memory put a store-forwarding
// delay on the chain of additions from one channel to the next; the sums
// themselves, and so the bits, are unchanged.
zadj16:
	VMOVUPS       (SI), Z20            // ∂B_l
	VMOVUPS       (DX), Z21            // ∂C_l
	VMOVUPS       (R11), Z22           // b
	VMOVUPS       (R12), Z23           // c
	VEXTRACTF32X8 $1, Z22, Y24         // b, states 8..15
	XORQ          AX, AX               // byte offset of channel d

zadj16d:
	ADJLOADS                         // u_d, Δ_d, gy_d in X8, X9, X10
	VMULSS       X8, X9, X11         // Δ_d u_d
	VBROADCASTSS X9, Z12
	VBROADCASTSS X10, Z13
	VBROADCASTSS X11, Z14
	VXORPS       Y0, Y0, Y0          // Σ t·a (8 lanes)
	VXORPS       Y15, Y15, Y15       // Σ gn·b (8 lanes)
	VMOVUPS       (R15), Z1            // g
	VFMADD231PS   Z23, Z13, Z1         // gn = g + gy c
	VFMADD231PS   (R10), Z13, Z21      // ∂C += gy h
	VMULPS        (R14), Z1, Z4        // ga = gn·Ā
	VMULPS        (R13), Z4, Z5        // t = ga·h_{l-1}
	VFMADD231PS   (R9), Y5, Y0         // Σ t·a, states 0..7
	VEXTRACTF32X8 $1, Z5, Y16
	VFMADD231PS   32(R9), Y16, Y0      // states 8..15
	VMOVUPS       (DI), Z17
	VFMADD231PS   Z5, Z12, Z17         // ∂A += Δ t
	VMOVUPS       Z17, (DI)
	VFMADD231PS   Z1, Z14, Z20         // ∂B += Δu gn
	VFMADD231PS   Y22, Y1, Y15         // Σ gn·b, states 0..7
	VEXTRACTF32X8 $1, Z1, Y19
	VFMADD231PS   Y24, Y19, Y15        // states 8..15
	VMOVUPS       Z4, (R15)            // carry
	ADDQ          $64, R9
	ADDQ          $64, R10
	ADDQ          $64, R13
	ADDQ          $64, R14
	ADDQ          $64, R15
	ADDQ          $64, DI

	HSUM(Y0, X0, X1)                 // X0 = Σ t·a
	HSUM(Y15, X15, X1)               // X15 = Σ gn·b
	ADJTAIL(X2)                      // ∂Δ_d, ∂u_d, ∂D_d
	ADDQ        $4, AX
	DECQ        CX
	JNZ         zadj16d

	VMOVUPS Z20, (SI)
	VMOVUPS Z21, (DX)
	VZEROUPPER
	RET

// func expRowsAVX512(nd, nn int, delta, a, out *float32)
// out[d, :] = exp(Δ_d a[d, :]) for d < nd, as expRowsAVX2.
TEXT ·expRowsAVX512(SB), NOSPLIT, $0-40
	MOVQ nd+0(FP), CX
	MOVQ nn+8(FP), R8
	MOVQ delta+16(FP), DX
	MOVQ a+24(FP), SI
	MOVQ out+32(FP), DI
	SHRQ $4, R8
	LOADEXPZ
	TESTQ CX, CX
	JZ    zexprdone

zexprd:
	VBROADCASTSS (DX), Z1
	MOVQ         R8, BX

zexprn:
	VMULPS  (SI), Z1, Z0
	EXP16X(Z0, Z2, Z3, K1)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    BX
	JNZ     zexprn

	ADDQ $4, DX
	DECQ CX
	JNZ  zexprd

zexprdone:
	VZEROUPPER
	RET
