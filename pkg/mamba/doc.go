// Package mamba implements the selective state space layer S6 and the Mamba
// model studied in "Demystifying the Token Dynamics of Deep Selective State
// Space Models" (Vo, Pham, Tong, Nguyen; ICLR 2025; arXiv 2410.03292): the
// selective scan in two layouts — the inference layout (B, D, L) of
// selective_scan_ref (a slow reference ScanRef, its adjoint ScanBackward and
// a fast Scan) and the token-major training layout (B, L, D) with its
// backward (ScanTokens, ScanTokensBackward, and ScanTokensSeqs,
// ScanTokensBackwardSeqs for one range of sequences inside a caller's
// parallel pass) — the hidden attention matrices
// P^d, and the activations (softplus, SiLU, the float32 exponential, and
// their float32 vector kernels for the training path, activation_vec.go). The
// network built on this layer (the Mamba block, LM, classifier and the
// refinements) is package model.
// Section numbers such as "docs/paper.md §1.2" refer to the project's
// reconstruction of the paper.
//
// # Glossary (the repository's one glossary; docs/paper.md §1)
//
// Every other package's documentation links here. Each paper symbol, its
// name in the code, and the function that computes it:
//
//	symbol          code name                  computed by
//	x_l, u          u, U (scan input)           the token coordinates x_{l,d} (after in_proj, conv, SiLU in a block)
//	Δ, dt           Delta, delta                Softplus (activation.go): Δ_{l,d} = softplus(delta + delta_bias) > 0
//	b_dt            DeltaBias, dt_proj.bias     the bias inside the softplus (left out by the theory)
//	S_Δ             SDelta, W_dt·W_x[Δ rows]    model.EffectiveXProj (rows 0..dt_rank) times dt_proj.weight; theory.System.SDelta
//	A, A_d          A (D, N), −exp(A_log)       diagonal state matrices, entries < 0; Mamba's init A_{d,n} = −n (S4D-real)
//	Ā = exp(ΔA)     abar                        ScanRef / Scan / ScanTokens (zero-order hold)
//	B_l, C_l        B, C (VarB, VarC)           B_l = S_B x_l, C_l = S_C x_l ∈ ℝ^N: columns of x_proj's output
//	B̄ = ΔB          —                           ScanRef (Euler)
//	S_B, S_C        x_proj rows                 model.EffectiveXProj; the N×D input and output projections
//	μ = S_Cᵀ S_B    Mu, mu                      theory.Mu (one home); per layer model.XProjMu
//	eig(μ), sym(μ)  MuEigen                     theory.MuEigenvalues; per layer model.MuSpectrum, checkpoint.Report
//	scenario        Scenario                    theory.MuEigen.Scenario (1-D criteria of Table 1, spectral rule for D > 1)
//	P, P^d_lj       hidden attention            HiddenAttention, HiddenAttentionAll (hidden_attention.go): y_{l,d} = Σ_{j≤l} P^d_lj x_{j,d}
//	D (skip)        Dskip, D, mixer.D           the per-channel skip: y += D ⊙ u (left out by the theory)
//	z (gate)        Z, z                        the gate branch: y ← y ⊙ SiLU(z) (SiLU, left out by the theory)
//	h               h, LastState                the hidden state h_{d,l} ∈ ℝ^N of channel d, h_{d,0} = 0
//	x_l(t)          theory.Trajectory.X          token l at depth-time t of the continuous limit: theory.System.Simulate
//	T*              BlowUpTime                  the finite blow-up time (fast divergence): theory.Scalar.TokenBlowUpTime
//	pos/neg/mixed   Param                       refinement 1, μ = UᵀΛU of fixed inertia: model.ParametrizeXProj
//	s, K, P̂         importance, SoftSort        refinement 2, s_l = K(S_Δ x_l + b_dt) and P̂ = SoftSort(−s): model.SoftSortMatrix
//
// # Sizes and shapes
//
//	B (Batch)   batch size          D (Dim)    channels, the token dimension (d_inner)
//	L (Len)     sequence length     N (State)  state size per channel
//
// Tensors are flat row-major slices whose shapes are written in the
// mamba-minimal style, for example u: (B, D, L). One argument struct,
// ScanArgs, holds the scan's inputs in either layout (its Layout field), and
// one ScanGrad its gradients. The ChannelMajor layout is selective_scan_ref's
// from state-spaces/mamba (ScanRef, Scan, ScanBackward, HiddenAttention):
//
//	u, delta, z     (B, D, L)
//	A               (D, N)
//	B, C            (B, N, L) when VarB/VarC, else (D, N)
//	D, delta_bias   (D)
//	y               (B, D, L),   last state h_L (B, D, N)
//	P^d             (L, L) per (b, d); HiddenAttentionAll gives (D, L, L)
//
// The TokenMajor layout is the models' (ScanTokens, ScanTokensBackward;
// scan_tokens_args.go): u, Δ and y (B, L, D), B and C (B, L, N) in rows of
// stride LdBC, Δ already positive, no gate.
//
// The S6 recurrence, for every batch element b and channel d:
//
//	h_l = exp(Δ_l A_d) ⊙ h_{l−1} + Δ_l B_l u_l,    y_l = C_lᵀ h_l (+ D_d u_l) (· SiLU(z_l)).
//
// # Precision and speed
//
// Every tensor type is generic over Float (float32 or float64). float64
// paths use the exact math.Exp and serve the theory and the gradient checks;
// float32 paths use a polynomial exponential (relative error ≤ 1.25e-7) and,
// on amd64 with AVX2+FMA, assembly kernels; the build tag purego selects the
// portable Go code everywhere.
package mamba
