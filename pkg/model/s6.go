package model

import "github.com/tokendyn/tokendyn/pkg/mamba"

// The S6 step of a mixer (docs/paper.md §1.1), the one implementation both
// mixers (mixer.go, mixer_vision.go) call, on rows tokens u of d channels:
//
//	xdbl = u effᵀ               (rows, R+2N)  x_proj: δ̃_l, B_l = S_B u_l, C_l = S_C u_l
//	dpre = δ̃ W_dtᵀ + f·b_dt     (rows, d)     dt_proj (f = 1; 2 for MambaVision's double bias)
//	Δ    = softplus(dpre)       (rows, d)
//	A    = −exp(A_log)          (d, N)
//	y    = scan(u, Δ, A, B, C, D)             mamba.ScanTokens / ScanTokensSeqs on s6Scan's arguments
//
// eff is the effective x_proj weight (R+2N, d) of the parametrization
// (ParametrizeXProj). The backward is s6ProjectBackward for the data
// gradients, after the scan's adjoint (mamba.ScanTokensBackward /
// ScanTokensBackwardSeqs into s6Grad's arrays); the weight gradients (dt_proj, x_proj, the dt
// bias) are sums over rows that each mixer orders its own way (per-sequence
// partials in the LM's, whole-batch products in the vision mixer's), so they
// stay with the mixers. LMState.Step is the
// recurrent form, one token at a time (mamba_ssm's selective_state_update):
// a second algorithm on purpose, which the tests compare with the scan.

// s6A sets a = −exp(A_log), the diagonal state matrices (d, N), negative.
func s6A[T Float](aLog, a []T) {
	for i, v := range aLog {
		a[i] = -mamba.ExpT(v)
	}
}

// s6Project computes xdbl, dpre and Δ of rows tokens u (row stride ldu)
// with at most workers goroutines for the products:
//
//	u      (rows, d), stride ldu
//	eff    (R+2N, d)      dtW (d, R)      dtB (d)
//	xdbl   (rows, R+2N)   dpre, delta (rows, d)
func s6Project[T Float](workers, rows, d, r, n int, u []T, ldu int, eff, dtW, dtB []T, f T, xdbl, dpre, delta []T) {
	ldx := r + 2*n
	linearForwardW(workers, rows, d, ldx, u, ldu, eff, nil, xdbl, ldx)
	linearForwardW(workers, rows, r, d, xdbl, ldx, dtW, nil, dpre, d)
	for i := 0; i < rows; i++ {
		row := dpre[i*d : (i+1)*d]
		for j, b := range dtB {
			row[j] += f * b
		}
	}
	softplusForward(dpre[:rows*d], delta[:rows*d])
}

// s6Scan is the scan's arguments (mamba.ScanArgs, TokenMajor) over
// whole-batch arrays of nb sequences of nl tokens and d channels: u and Δ
// (M, d), xdbl (M, R+2N) whose columns R.. and R+N.. are B and C (row
// stride R+2N), A (d, N), the skip dSkip (d).
func s6Scan[T Float](nb, nl, d, r, n int, u, delta, a, xdbl, dSkip []T) *mamba.ScanArgs[T] {
	return &mamba.ScanArgs[T]{Batch: nb, Len: nl, Dim: d, State: n, Layout: mamba.TokenMajor, LdBC: r + 2*n,
		U: u, Delta: delta, A: a, B: xdbl[r:], C: xdbl[r+n:], VarB: true, VarC: true, D: dSkip}
}

// s6Grad is the scan's gradients in s6Scan's layout: gu, gdelta (M, d)
// overwritten, gxdbl (M, R+2N) whose B and C columns are overwritten, gA
// (d, N) and gD (d) accumulated (nil when the caller reduces the
// per-sequence partials itself, mamba.ReduceTokenGrads).
func s6Grad[T Float](r, n int, gu, gdelta, gxdbl, gA, gD []T) *mamba.ScanGrad[T] {
	return &mamba.ScanGrad[T]{DU: gu, DDelta: gdelta, DB: gxdbl[r:], DC: gxdbl[r+n:], DA: gA, DD: gD}
}

// s6ProjectBackward is the adjoint of s6Project for its input u, on the
// same rows, once the scan's adjoint has written ∂loss/∂Δ into gdelta and
// ∂loss/∂B, ∂loss/∂C into gxdbl's columns R.. and R+N..:
//
//	gdelta (rows, d)     in: ∂loss/∂Δ; out: ∂loss/∂dpre = gdelta ⊙ σ(dpre) (softplus' = sigmoid)
//	gxdbl  (rows, R+2N)  columns ..R written: ∂loss/∂δ̃ = ∂dpre · W_dt
//	gu     (rows, d)     stride ldu, += ∂xdbl · eff (x_proj's share of ∂loss/∂u)
//
// dpre, dtW and eff as in s6Project; products on at most workers goroutines.
// The weight gradients are left to the caller: ∂W_dt = ∂dpreᵀ δ̃,
// ∂eff = ∂xdblᵀ u, ∂b_dt = f · Σ_rows ∂dpre.
func s6ProjectBackward[T Float](workers, rows, d, r, n int, dpre, dtW, eff, gdelta, gxdbl, gu []T, ldu int) {
	ldx := r + 2*n
	gdelta = gdelta[:rows*d]
	softplusBackward(dpre[:rows*d], gdelta, gdelta)
	linearBackwardW(workers, rows, r, d, nil, ldx, dtW, gdelta, d, nil, nil, gxdbl, ldx, false)
	linearBackwardW(workers, rows, d, ldx, nil, d, eff, gxdbl, ldx, nil, nil, gu, ldu, true)
}
