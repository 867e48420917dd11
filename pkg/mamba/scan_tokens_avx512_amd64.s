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

// ADJ16CH is the N = 16 adjoint body of channel d + K (AX the byte offset of
// channel d, the (D, N) pointers at channel d): the operations of the loop
// zadj16d below, with Σ t·a accumulated in TA and Σ gn·b in GB (high
// registers; Z1, Z4, Z5, Z6, Z12..Z14, X11 and Y18 clobbered).
#define ADJ16CH(K, TA, GB) \
	MOVQ          u+16(FP), BX;              \
	VMOVSS        (K*4)(BX)(AX*1), X11;      \
	MOVQ          delta+24(FP), BX;          \
	VMULSS        (K*4)(BX)(AX*1), X11, X11; \
	VBROADCASTSS  (K*4)(BX)(AX*1), Z12;      \
	MOVQ          gy+64(FP), BX;             \
	VBROADCASTSS  (K*4)(BX)(AX*1), Z13;      \
	VBROADCASTSS  X11, Z14;                  \
	VPXORD        TA, TA, TA;                \
	VPXORD        GB, GB, GB;                \
	VMOVUPS       (K*64)(R15), Z1;           \
	VFMADD231PS   Z23, Z13, Z1;              \
	VFMADD231PS   (K*64)(R10), Z13, Z21;     \
	VMULPS        (K*64)(R14), Z1, Z4;       \
	VMULPS        (K*64)(R13), Z4, Z5;       \
	VFMADD231PS   (K*64)(R9), Y5, TA;        \
	VEXTRACTF32X8 $1, Z5, Y18;               \
	VFMADD231PS   (K*64+32)(R9), Y18, TA;    \
	VMOVUPS       (K*64)(DI), Z6;            \
	VFMADD231PS   Z5, Z12, Z6;               \
	VMOVUPS       Z6, (K*64)(DI);            \
	VFMADD231PS   Z1, Z14, Z20;              \
	VFMADD231PS   Y22, Y1, GB;               \
	VEXTRACTF32X8 $1, Z1, Y18;               \
	VFMADD231PS   Y24, Y18, GB;              \
	VMOVUPS       Z4, (K*64)(R15)

// ADJPAIR does HSUM's first step (low half + high half) for channel k − 4
// (sums in TA, GB) and channel k (in Y16, Y17) at once: PTA, PGB get
// [channel k−4 | channel k] of the 4-lane partial sums (Y16..Y18 clobbered).
#define ADJPAIR(TA, GB, PTA, PGB) \
	PAIR4(TA, Y16, PTA); \
	PAIR4(GB, Y17, PGB)

// PAIR4 is HSUM's first step for two channels' 8-lane sums, PREV (channel
// k − 4) and CUR (channel k): P = [PREV.lo + PREV.hi | CUR.lo + CUR.hi]
// (CUR and Y18 clobbered).
#define PAIR4(PREV, CUR, P) \
	VSHUFF32X4 $0, CUR, PREV, Y18; \
	VSHUFF32X4 $3, CUR, PREV, CUR; \
	VADDPS     CUR, Y18, P

// ADJSUM8 finishes HSUM's two pairwise steps on the ADJPAIR results of
// channel pairs (0,4), (1,5), (2,6), (3,7): P0 gets the eight channels'
// sums in channel order (P2 clobbered).
#define ADJSUM8(P0, P1, P2, P3) \
	VHADDPS P1, P0, P0; \
	VHADDPS P3, P2, P2; \
	VHADDPS P2, P0, P0

// ADJTAIL8 is ADJTAIL on eight channels d..d+7 at once, Σ t·a in Y0 and
// Σ gn·b in Y9 (Y1..Y5 clobbered).
#define ADJTAIL8 \
	MOVQ        u+16(FP), BX;      \
	VMOVUPS     (BX)(AX*1), Y1;    \
	VFMADD231PS Y9, Y1, Y0;        \
	MOVQ        gdelta+128(FP), BX; \
	VMOVUPS     Y0, (BX)(AX*1);    \
	MOVQ        dskip+56(FP), BX;  \
	VMOVUPS     (BX)(AX*1), Y2;    \
	MOVQ        gy+64(FP), BX;     \
	VMOVUPS     (BX)(AX*1), Y3;    \
	VMULPS      Y3, Y2, Y2;        \
	MOVQ        delta+24(FP), BX;  \
	VMOVUPS     (BX)(AX*1), Y4;    \
	VFMADD231PS Y9, Y4, Y2;        \
	MOVQ        gu+120(FP), BX;    \
	VMOVUPS     Y2, (BX)(AX*1);    \
	MOVQ        gd+136(FP), BX;    \
	VMOVUPS     (BX)(AX*1), Y5;    \
	VFMADD231PS Y3, Y1, Y5;        \
	VMOVUPS     Y5, (BX)(AX*1)

// ROW16CH is the N = 16 forward body of channel d + K (SI, DX at u_d, Δ_d;
// R9, R10 at channel d's rows of Ā, h; b in Z22, c in Y23 and Y24): the
// operations of the loop zrowd below, with Σ c·h accumulated in TA (Z1, Z7,
// X6, X7 and Y18 clobbered).
#define ROW16CH(K, TA) \
	VMOVSS        (K*4)(SI), X6;          \
	VMULSS        (K*4)(DX), X6, X7;      \
	VBROADCASTSS  X7, Z7;                 \
	VPXORD        TA, TA, TA;             \
	VMOVUPS       (K*64)(R10), Z1;        \
	VMULPS        (K*64)(R9), Z1, Z1;     \
	VFMADD231PS   Z22, Z7, Z1;            \
	VMOVUPS       Z1, (K*64)(R10);        \
	VFMADD231PS   Y23, Y1, TA;            \
	VEXTRACTF32X8 $1, Z1, Y18;            \
	VFMADD231PS   Y24, Y18, TA

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
	CMPQ  R8, $1
	JNE   zrowd
	VMOVUPS       (R11), Z22   // N = 16: b and c held in registers,
	VMOVUPS       (R12), Z23   // eight channels per pass while at least
	VEXTRACTF32X8 $1, Z23, Y24 // eight are left (as the adjoint's zadj16blk)

zrow16blk:
	CMPQ CX, $8
	JLT  zrow16rest
	ROW16CH(0, Y25)
	ROW16CH(1, Y26)
	ROW16CH(2, Y27)
	ROW16CH(3, Y28)
	ROW16CH(4, Y16)
	PAIR4(Y25, Y16, Y0)
	ROW16CH(5, Y16)
	PAIR4(Y26, Y16, Y2)
	ROW16CH(6, Y16)
	PAIR4(Y27, Y16, Y3)
	ROW16CH(7, Y16)
	PAIR4(Y28, Y16, Y8)
	ADJSUM8(Y0, Y2, Y3, Y8)    // Σ c·h of the eight channels
	VMOVUPS     (SI), Y1
	VMOVUPS     (R13), Y2
	VFMADD231PS Y1, Y2, Y0     // + dskip_d u_d
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, R13
	ADDQ        $32, DI
	ADDQ        $512, R9
	ADDQ        $512, R10
	SUBQ        $8, CX
	JMP         zrow16blk

zrow16rest:
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

// Eight channels per pass while at least eight are left: ADJ16CH is the
// one-channel body below with its two 8-lane sums left in registers, then
// the sixteen sums are reduced together (ADJPAIR, ADJSUM8) and the scalar
// tail runs on eight lanes (ADJTAIL8).
zadj16blk:
	TESTQ CX, CX
	JZ    zadj16end
	CMPQ  CX, $8
	JLT   zadj16d
	ADJ16CH(0, Y25, Y29)
	ADJ16CH(1, Y26, Y30)
	ADJ16CH(2, Y27, Y31)
	ADJ16CH(3, Y28, Y19)
	ADJ16CH(4, Y16, Y17)
	ADJPAIR(Y25, Y29, Y0, Y9)
	ADJ16CH(5, Y16, Y17)
	ADJPAIR(Y26, Y30, Y2, Y10)
	ADJ16CH(6, Y16, Y17)
	ADJPAIR(Y27, Y31, Y3, Y15)
	ADJ16CH(7, Y16, Y17)
	ADJPAIR(Y28, Y19, Y8, Y7)
	ADJSUM8(Y0, Y2, Y3, Y8)            // Σ t·a of the eight channels
	ADJSUM8(Y9, Y10, Y15, Y7)          // Σ gn·b
	ADJTAIL8
	ADDQ $512, R9
	ADDQ $512, R10
	ADDQ $512, R13
	ADDQ $512, R14
	ADDQ $512, R15
	ADDQ $512, DI
	ADDQ $32, AX
	SUBQ $8, CX
	JMP  zadj16blk

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

zadj16end:
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
	CMPQ  R8, $1
	JNE   zexprd

// N = 16: two channels per pass, their exponentials interleaved.
zexpr16:
	CMPQ         CX, $2
	JLT          zexprd
	VBROADCASTSS (DX), Z1
	VBROADCASTSS 4(DX), Z5
	VMULPS       (SI), Z1, Z0
	VMULPS       64(SI), Z5, Z4
	EXP16X2(Z0, Z2, Z3, K1, Z4, Z6, Z7, K2)
	VMOVUPS      Z0, (DI)
	VMOVUPS      Z4, 64(DI)
	ADDQ         $128, SI
	ADDQ         $128, DI
	ADDQ         $8, DX
	SUBQ         $2, CX
	JNZ          zexpr16
	JMP          zexprdone

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
