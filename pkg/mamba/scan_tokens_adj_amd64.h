// The per-channel scalar parts of the adjoint kernels (scanAdjRowAVX2,
// scanAdjRowAVX512), one home for both files and for their general and
// N = 16 loops. AX is the byte offset of channel d; BX is clobbered.

// ADJLOADS loads u_d, Δ_d and gy_d into X8, X9, X10.
#define ADJLOADS \
	MOVQ   u+16(FP), BX;      \
	VMOVSS (BX)(AX*1), X8;    \
	MOVQ   delta+24(FP), BX;  \
	VMOVSS (BX)(AX*1), X9;    \
	MOVQ   gy+64(FP), BX;     \
	VMOVSS (BX)(AX*1), X10

// ADJTAIL takes X0 = Σ t·a and X15 = Σ gn·b and stores
// ∂Δ_d = Σ t·a + u_d Σ gn·b, ∂u_d = D_d gy_d + Δ_d Σ gn·b and adds
// gy_d u_d to ∂D_d (T clobbered).
#define ADJTAIL(T) \
	VFMADD231SS X15, X8, X0;   \
	MOVQ        gdelta+128(FP), BX; \
	VMOVSS      X0, (BX)(AX*1); \
	MOVQ        dskip+56(FP), BX; \
	VMOVSS      (BX)(AX*1), T; \
	VMULSS      X10, T, T;     \
	VFMADD231SS X15, X9, T;    \
	MOVQ        gu+120(FP), BX; \
	VMOVSS      T, (BX)(AX*1); \
	MOVQ        gd+136(FP), BX; \
	VMOVSS      (BX)(AX*1), T; \
	VFMADD231SS X8, X10, T;    \
	VMOVSS      T, (BX)(AX*1)
