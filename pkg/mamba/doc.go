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
// # Glossary (code name → paper symbol, docs/paper.md §1)
//
//	u, U            the scan input: token coordinates x_{l,d} (after in_proj, conv, SiLU in a real block)
//	delta, Delta    the raw step before bias/softplus; Δ_{l,d} = softplus(delta + delta_bias)
//	DeltaBias       b_dt, the bias inside the softplus (left out by the theory)
//	Δ, dt           the step size Δ_l = softplus(S_Δ x_l) ∈ ℝ^D_{>0}
//	A               the diagonal state matrices A_d (row d of the (D, N) array), entries < 0;
//	                Mamba initializes A_{d,n} = −n (S4D-real)
//	Ā = exp(ΔA)     zero-order-hold discretization of A
//	B, C            B_l = S_B x_l and C_l = S_C x_l ∈ ℝ^N (VarB/VarC: input dependent)
//	B̄ = ΔB          Euler discretization of B
//	S_B, S_C        the N×D input and output projections (rows of x_proj)
//	S_Δ             the D×D step projection (W_dt·W_x[Δ rows], rank ≤ dt_rank)
//	μ = S_Cᵀ S_B    the D×D input/output projection matrix of the theory (a scalar when D = 1)
//	P, P^d_lj       the hidden attention matrix: y_{l,d} = Σ_{j≤l} P^d_lj x_{j,d} (docs/paper.md §1.2)
//	D (skip)        the per-channel skip D_skip: y += D ⊙ u (left out by the theory)
//	z (gate)        the gate branch: y ← y ⊙ SiLU(z) (left out by the theory)
//	h               the hidden state h_{d,l} ∈ ℝ^N of channel d, h_{d,0} = 0
//
// # Sizes and shapes
//
//	B (Batch)   batch size          D (Dim)    channels, the token dimension (d_inner)
//	L (Len)     sequence length     N (State)  state size per channel
//
// Tensors are flat row-major slices whose shapes are written in the
// mamba-minimal style, for example u: (B, D, L). The scan (ScanArgs) uses the
// layout of selective_scan_ref from state-spaces/mamba:
//
//	u, delta, z     (B, D, L)
//	A               (D, N)
//	B, C            (B, N, L) when VarB/VarC, else (D, N)
//	D, delta_bias   (D)
//	y               (B, D, L),   last state h_L (B, D, N)
//	P^d             (L, L) per (b, d); HiddenAttentionAll gives (D, L, L)
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
