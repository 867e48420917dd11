//go:build !purego

// AVX2+FMA kernels of the float32 selective scan. Every kernel works on 8
// float32 lanes per YMM register; the Go side (scan_amd64.go) handles tails
// and checks the CPU features before calling them. The exponential is the
// algorithm documented in fastexp.go.

#include "textflag.h"

#include "fastexp_amd64.h"

// HSUM8 leaves the sum of the 8 lanes of Y in the low lane of X (X is Y's
// low half); T is clobbered (XT its low half).
#define HSUM8(Y, X, YT, XT) \
	VEXTRACTF128 $1, Y, XT;    \
	VADDPS       XT, X, X;     \
	VPERMILPS    $0x4e, X, XT; \
	VADDPS       XT, X, X;     \
	VPERMILPS    $0xb1, X, XT; \
	VADDSS       XT, X, X

// STEP16 is one position l of a 16-state block: registers Y0, Y1 hold h,
// Y2, Y3 hold A, Y4 holds expHi; SI points at Δ_l, DX at Δ_l u_l, R8 at B_l,
// R10 at C_l. It leaves C_lᵀh_l in the low lane of X5.
#define STEP16 \
	VBROADCASTSS (SI), Y14;      \
	VMULPS       Y2, Y14, Y6;    \
	VMULPS       Y3, Y14, Y10;   \
	EXP8(Y6, Y7, Y8, Y9, Y4);    \
	EXP8(Y10, Y11, Y12, Y13, Y4); \
	VBROADCASTSS (DX), Y14;      \
	VMULPS       (R8), Y14, Y15; \
	VFMADD213PS  Y15, Y6, Y0;    \
	VMULPS       32(R8), Y14, Y15; \
	VFMADD213PS  Y15, Y10, Y1;   \
	VMULPS       (R10), Y0, Y5;  \
	VFMADD231PS  32(R10), Y1, Y5; \
	HSUM8(Y5, X5, Y14, X14)

// STEP8 is STEP16 for an 8-state block (h in Y0, A in Y2).
#define STEP8 \
	VBROADCASTSS (SI), Y14;      \
	VMULPS       Y2, Y14, Y6;    \
	EXP8(Y6, Y7, Y8, Y9, Y4);    \
	VBROADCASTSS (DX), Y14;      \
	VMULPS       (R8), Y14, Y15; \
	VFMADD213PS  Y15, Y6, Y0;    \
	VMULPS       (R10), Y0, Y5;  \
	HSUM8(Y5, X5, Y14, X14)

// ADVANCE moves the row pointers to position l+1 and counts down CX.
#define ADVANCE \
	ADDQ $4, SI;  \
	ADDQ $4, DX;  \
	ADDQ $4, DI;  \
	ADDQ R9, R8;  \
	ADDQ R11, R10; \
	DECQ CX

// SCANARGS loads the common arguments of scan16AVX2 and scan8AVX2.
#define SCANARGS \
	MOVQ    y+0(FP), DI;      \
	MOVQ    dt+8(FP), SI;     \
	MOVQ    dtu+16(FP), DX;   \
	MOVQ    a+24(FP), BX;     \
	MOVQ    bp+32(FP), R8;    \
	MOVQ    bstride+40(FP), R9; \
	SHLQ    $2, R9;           \
	MOVQ    cp+48(FP), R10;   \
	MOVQ    cstride+56(FP), R11; \
	SHLQ    $2, R11;          \
	MOVQ    h+64(FP), R12;    \
	MOVQ    n+72(FP), CX;     \
	MOVBLZX add+80(FP), AX;   \
	VMOVUPS C_EXPHI, Y4

// func expAVX2(dst, src *float32, n int)
// dst[i] = exp(src[i]) for i < n; n is a multiple of 8.
TEXT ·expAVX2(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	SHRQ    $3, CX
	JZ      expdone
	VMOVUPS C_EXPHI, Y15

exploop:
	VMOVUPS (SI), Y0
	EXP8(Y0, Y1, Y2, Y3, Y15)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     exploop

expdone:
	VZEROUPPER
	RET

// func prepAVX2(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)
// dt[i] = softplus(delta[i] + bias) (or delta[i] + bias), dtu[i] = dt[i]·u[i]
// for i < n; n is a multiple of 8.
TEXT ·prepAVX2(SB), NOSPLIT, $0-45
	MOVQ         dt+0(FP), DI
	MOVQ         dtu+8(FP), SI
	MOVQ         delta+16(FP), DX
	MOVQ         u+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS bias+40(FP), Y14
	MOVBLZX      softplus+44(FP), AX
	VMOVUPS      C_EXPHI, Y15
	SHRQ         $3, CX
	JZ           prepdone

preploop:
	VADDPS (DX), Y14, Y0
	TESTQ  AX, AX
	JZ     prepstore
	SOFTPLUS8(Y0, Y1, Y2, Y3, Y4, Y15)

prepstore:
	VMOVUPS Y0, (DI)
	VMULPS  (R8), Y0, Y1
	VMOVUPS Y1, (SI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	DECQ    CX
	JNZ     preploop

prepdone:
	VZEROUPPER
	RET

// func gateAVX2(y, u, z *float32, n int, dskip float32, hasD bool)
// y[i] = (y[i] + dskip·u[i]) · z[i]/(1 + e^{-z[i]}) for i < n (the skip only
// when hasD); n is a multiple of 8.
TEXT ·gateAVX2(SB), NOSPLIT, $0-37
	MOVQ         y+0(FP), DI
	MOVQ         u+8(FP), SI
	MOVQ         z+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS dskip+32(FP), Y14
	MOVBLZX      hasD+36(FP), AX
	VMOVUPS      C_EXPHI, Y15
	SHRQ         $3, CX
	JZ           gatedone

gateloop:
	VMOVUPS (DI), Y0
	TESTQ   AX, AX
	JZ      gatez
	VFMADD231PS (SI), Y14, Y0

gatez:
	VMOVUPS (DX), Y1
	VXORPS  C_SIGN, Y1, Y2
	EXP8(Y2, Y3, Y4, Y5, Y15)
	VADDPS  C_ONE, Y2, Y2
	VDIVPS  Y2, Y1, Y1
	VMULPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     gateloop

gatedone:
	VZEROUPPER
	RET

// func scan16AVX2(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool)
// Runs the recurrence of one row over n positions for the 16 states
// a[0:16], h[0:16] (h is read and written back), with B_l = bp[l·bstride:],
// C_l = cp[l·cstride:]; y[l] = C_lᵀh_l, or y[l] += C_lᵀh_l when add.
TEXT ·scan16AVX2(SB), NOSPLIT, $0-81
	SCANARGS
	VMOVUPS (BX), Y2
	VMOVUPS 32(BX), Y3
	VMOVUPS (R12), Y0
	VMOVUPS 32(R12), Y1
	TESTQ   CX, CX
	JZ      s16done
	TESTQ   AX, AX
	JNZ     s16add

s16set:
	STEP16
	VMOVSS X5, (DI)
	ADVANCE
	JNZ    s16set
	JMP    s16done

s16add:
	STEP16
	VADDSS (DI), X5, X5
	VMOVSS X5, (DI)
	ADVANCE
	JNZ    s16add

s16done:
	VMOVUPS Y0, (R12)
	VMOVUPS Y1, 32(R12)
	VZEROUPPER
	RET

// func scan8AVX2(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool)
// scan16AVX2 for the 8 states a[0:8], h[0:8].
TEXT ·scan8AVX2(SB), NOSPLIT, $0-81
	SCANARGS
	VMOVUPS (BX), Y2
	VMOVUPS (R12), Y0
	TESTQ   CX, CX
	JZ      s8done
	TESTQ   AX, AX
	JNZ     s8add

s8set:
	STEP8
	VMOVSS X5, (DI)
	ADVANCE
	JNZ    s8set
	JMP    s8done

s8add:
	STEP8
	VADDSS (DI), X5, X5
	VMOVSS X5, (DI)
	ADVANCE
	JNZ    s8add

s8done:
	VMOVUPS Y0, (R12)
	VZEROUPPER
	RET

// Constants, each repeated in 8 lanes.

DATA ·expconst+0(SB)/4, $0x3fb8aa3b
DATA ·expconst+4(SB)/4, $0x3fb8aa3b
DATA ·expconst+8(SB)/4, $0x3fb8aa3b
DATA ·expconst+12(SB)/4, $0x3fb8aa3b
DATA ·expconst+16(SB)/4, $0x3fb8aa3b
DATA ·expconst+20(SB)/4, $0x3fb8aa3b
DATA ·expconst+24(SB)/4, $0x3fb8aa3b
DATA ·expconst+28(SB)/4, $0x3fb8aa3b
DATA ·expconst+32(SB)/4, $0x4b400000
DATA ·expconst+36(SB)/4, $0x4b400000
DATA ·expconst+40(SB)/4, $0x4b400000
DATA ·expconst+44(SB)/4, $0x4b400000
DATA ·expconst+48(SB)/4, $0x4b400000
DATA ·expconst+52(SB)/4, $0x4b400000
DATA ·expconst+56(SB)/4, $0x4b400000
DATA ·expconst+60(SB)/4, $0x4b400000
DATA ·expconst+64(SB)/4, $0x3f318000
DATA ·expconst+68(SB)/4, $0x3f318000
DATA ·expconst+72(SB)/4, $0x3f318000
DATA ·expconst+76(SB)/4, $0x3f318000
DATA ·expconst+80(SB)/4, $0x3f318000
DATA ·expconst+84(SB)/4, $0x3f318000
DATA ·expconst+88(SB)/4, $0x3f318000
DATA ·expconst+92(SB)/4, $0x3f318000
DATA ·expconst+96(SB)/4, $0xb95e8083
DATA ·expconst+100(SB)/4, $0xb95e8083
DATA ·expconst+104(SB)/4, $0xb95e8083
DATA ·expconst+108(SB)/4, $0xb95e8083
DATA ·expconst+112(SB)/4, $0xb95e8083
DATA ·expconst+116(SB)/4, $0xb95e8083
DATA ·expconst+120(SB)/4, $0xb95e8083
DATA ·expconst+124(SB)/4, $0xb95e8083
DATA ·expconst+128(SB)/4, $0x42b1999a
DATA ·expconst+132(SB)/4, $0x42b1999a
DATA ·expconst+136(SB)/4, $0x42b1999a
DATA ·expconst+140(SB)/4, $0x42b1999a
DATA ·expconst+144(SB)/4, $0x42b1999a
DATA ·expconst+148(SB)/4, $0x42b1999a
DATA ·expconst+152(SB)/4, $0x42b1999a
DATA ·expconst+156(SB)/4, $0x42b1999a
DATA ·expconst+160(SB)/4, $0xc2ac0000
DATA ·expconst+164(SB)/4, $0xc2ac0000
DATA ·expconst+168(SB)/4, $0xc2ac0000
DATA ·expconst+172(SB)/4, $0xc2ac0000
DATA ·expconst+176(SB)/4, $0xc2ac0000
DATA ·expconst+180(SB)/4, $0xc2ac0000
DATA ·expconst+184(SB)/4, $0xc2ac0000
DATA ·expconst+188(SB)/4, $0xc2ac0000
DATA ·expconst+192(SB)/4, $0x3f000000
DATA ·expconst+196(SB)/4, $0x3f000000
DATA ·expconst+200(SB)/4, $0x3f000000
DATA ·expconst+204(SB)/4, $0x3f000000
DATA ·expconst+208(SB)/4, $0x3f000000
DATA ·expconst+212(SB)/4, $0x3f000000
DATA ·expconst+216(SB)/4, $0x3f000000
DATA ·expconst+220(SB)/4, $0x3f000000
DATA ·expconst+224(SB)/4, $0x3f000000
DATA ·expconst+228(SB)/4, $0x3f000000
DATA ·expconst+232(SB)/4, $0x3f000000
DATA ·expconst+236(SB)/4, $0x3f000000
DATA ·expconst+240(SB)/4, $0x3f000000
DATA ·expconst+244(SB)/4, $0x3f000000
DATA ·expconst+248(SB)/4, $0x3f000000
DATA ·expconst+252(SB)/4, $0x3f000000
DATA ·expconst+256(SB)/4, $0x3e800000
DATA ·expconst+260(SB)/4, $0x3e800000
DATA ·expconst+264(SB)/4, $0x3e800000
DATA ·expconst+268(SB)/4, $0x3e800000
DATA ·expconst+272(SB)/4, $0x3e800000
DATA ·expconst+276(SB)/4, $0x3e800000
DATA ·expconst+280(SB)/4, $0x3e800000
DATA ·expconst+284(SB)/4, $0x3e800000
DATA ·expconst+288(SB)/4, $0x3daaaa6e
DATA ·expconst+292(SB)/4, $0x3daaaa6e
DATA ·expconst+296(SB)/4, $0x3daaaa6e
DATA ·expconst+300(SB)/4, $0x3daaaa6e
DATA ·expconst+304(SB)/4, $0x3daaaa6e
DATA ·expconst+308(SB)/4, $0x3daaaa6e
DATA ·expconst+312(SB)/4, $0x3daaaa6e
DATA ·expconst+316(SB)/4, $0x3daaaa6e
DATA ·expconst+320(SB)/4, $0x3caaaa8c
DATA ·expconst+324(SB)/4, $0x3caaaa8c
DATA ·expconst+328(SB)/4, $0x3caaaa8c
DATA ·expconst+332(SB)/4, $0x3caaaa8c
DATA ·expconst+336(SB)/4, $0x3caaaa8c
DATA ·expconst+340(SB)/4, $0x3caaaa8c
DATA ·expconst+344(SB)/4, $0x3caaaa8c
DATA ·expconst+348(SB)/4, $0x3caaaa8c
DATA ·expconst+352(SB)/4, $0x3b890600
DATA ·expconst+356(SB)/4, $0x3b890600
DATA ·expconst+360(SB)/4, $0x3b890600
DATA ·expconst+364(SB)/4, $0x3b890600
DATA ·expconst+368(SB)/4, $0x3b890600
DATA ·expconst+372(SB)/4, $0x3b890600
DATA ·expconst+376(SB)/4, $0x3b890600
DATA ·expconst+380(SB)/4, $0x3b890600
DATA ·expconst+384(SB)/4, $0x3a3688cd
DATA ·expconst+388(SB)/4, $0x3a3688cd
DATA ·expconst+392(SB)/4, $0x3a3688cd
DATA ·expconst+396(SB)/4, $0x3a3688cd
DATA ·expconst+400(SB)/4, $0x3a3688cd
DATA ·expconst+404(SB)/4, $0x3a3688cd
DATA ·expconst+408(SB)/4, $0x3a3688cd
DATA ·expconst+412(SB)/4, $0x3a3688cd
DATA ·expconst+416(SB)/4, $0x3f800000
DATA ·expconst+420(SB)/4, $0x3f800000
DATA ·expconst+424(SB)/4, $0x3f800000
DATA ·expconst+428(SB)/4, $0x3f800000
DATA ·expconst+432(SB)/4, $0x3f800000
DATA ·expconst+436(SB)/4, $0x3f800000
DATA ·expconst+440(SB)/4, $0x3f800000
DATA ·expconst+444(SB)/4, $0x3f800000
DATA ·expconst+448(SB)/4, $0x40000000
DATA ·expconst+452(SB)/4, $0x40000000
DATA ·expconst+456(SB)/4, $0x40000000
DATA ·expconst+460(SB)/4, $0x40000000
DATA ·expconst+464(SB)/4, $0x40000000
DATA ·expconst+468(SB)/4, $0x40000000
DATA ·expconst+472(SB)/4, $0x40000000
DATA ·expconst+476(SB)/4, $0x40000000
DATA ·expconst+480(SB)/4, $0x3eaaaaab
DATA ·expconst+484(SB)/4, $0x3eaaaaab
DATA ·expconst+488(SB)/4, $0x3eaaaaab
DATA ·expconst+492(SB)/4, $0x3eaaaaab
DATA ·expconst+496(SB)/4, $0x3eaaaaab
DATA ·expconst+500(SB)/4, $0x3eaaaaab
DATA ·expconst+504(SB)/4, $0x3eaaaaab
DATA ·expconst+508(SB)/4, $0x3eaaaaab
DATA ·expconst+512(SB)/4, $0x3e4ccccd
DATA ·expconst+516(SB)/4, $0x3e4ccccd
DATA ·expconst+520(SB)/4, $0x3e4ccccd
DATA ·expconst+524(SB)/4, $0x3e4ccccd
DATA ·expconst+528(SB)/4, $0x3e4ccccd
DATA ·expconst+532(SB)/4, $0x3e4ccccd
DATA ·expconst+536(SB)/4, $0x3e4ccccd
DATA ·expconst+540(SB)/4, $0x3e4ccccd
DATA ·expconst+544(SB)/4, $0x3e124925
DATA ·expconst+548(SB)/4, $0x3e124925
DATA ·expconst+552(SB)/4, $0x3e124925
DATA ·expconst+556(SB)/4, $0x3e124925
DATA ·expconst+560(SB)/4, $0x3e124925
DATA ·expconst+564(SB)/4, $0x3e124925
DATA ·expconst+568(SB)/4, $0x3e124925
DATA ·expconst+572(SB)/4, $0x3e124925
DATA ·expconst+576(SB)/4, $0x3de38e39
DATA ·expconst+580(SB)/4, $0x3de38e39
DATA ·expconst+584(SB)/4, $0x3de38e39
DATA ·expconst+588(SB)/4, $0x3de38e39
DATA ·expconst+592(SB)/4, $0x3de38e39
DATA ·expconst+596(SB)/4, $0x3de38e39
DATA ·expconst+600(SB)/4, $0x3de38e39
DATA ·expconst+604(SB)/4, $0x3de38e39
DATA ·expconst+608(SB)/4, $0x3dba2e8c
DATA ·expconst+612(SB)/4, $0x3dba2e8c
DATA ·expconst+616(SB)/4, $0x3dba2e8c
DATA ·expconst+620(SB)/4, $0x3dba2e8c
DATA ·expconst+624(SB)/4, $0x3dba2e8c
DATA ·expconst+628(SB)/4, $0x3dba2e8c
DATA ·expconst+632(SB)/4, $0x3dba2e8c
DATA ·expconst+636(SB)/4, $0x3dba2e8c
DATA ·expconst+640(SB)/4, $0x3d9d89d9
DATA ·expconst+644(SB)/4, $0x3d9d89d9
DATA ·expconst+648(SB)/4, $0x3d9d89d9
DATA ·expconst+652(SB)/4, $0x3d9d89d9
DATA ·expconst+656(SB)/4, $0x3d9d89d9
DATA ·expconst+660(SB)/4, $0x3d9d89d9
DATA ·expconst+664(SB)/4, $0x3d9d89d9
DATA ·expconst+668(SB)/4, $0x3d9d89d9
DATA ·expconst+672(SB)/4, $0x80000000
DATA ·expconst+676(SB)/4, $0x80000000
DATA ·expconst+680(SB)/4, $0x80000000
DATA ·expconst+684(SB)/4, $0x80000000
DATA ·expconst+688(SB)/4, $0x80000000
DATA ·expconst+692(SB)/4, $0x80000000
DATA ·expconst+696(SB)/4, $0x80000000
DATA ·expconst+700(SB)/4, $0x80000000
GLOBL ·expconst(SB), RODATA|NOPTR, $704
