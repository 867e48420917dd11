// Package model is the network built on the S6 layer of package mamba: the
// operators of a Mamba block (linear maps, causal depthwise convolution,
// RMSNorm, SiLU/softplus, dropout, embedding, cross-entropy, pooling), the
// two mixers (Mamba's and MambaVision's), the language model LM and the
// classifier Classifier with their backward passes, Mamba's initialization,
// and the paper's two refinements: the x_proj parametrizations of
// refinement 1 (ParametrizeXProj, XProjMu) and the importance score with
// SoftSort reordering of refinement 2 (SoftSortMatrix). Section numbers such
// as "docs/paper.md §1.3" refer to the project's reconstruction of the paper.
//
// # Glossary
//
// The paper's symbols (μ, S_B, S_C, S_Δ, Δ, A, P, …) and the functions that
// compute them are in the repository's glossary, package mamba (doc.go).
// The code names particular to the network:
//
//	in_proj, x_proj, dt_proj, out_proj  the mixer's linear maps; x_proj rows are [S'_Δ; S_B; S_C],
//	                 S_Δ = dt_proj.weight·S'_Δ (rank ≤ dt_rank)
//	xz → x, z        in_proj output: token branch x (the paper's x_l after conv and SiLU) and gate z
//	xdbl             x_proj output (δ̃_l, B_l, C_l) per token
//	raw X, eff       refinement 1: the raw x_proj tensor (…x_proj.parametrizations.weight.original)
//	                 and the effective weight (docs/paper.md §5.1)
//	U, λ_n, Λ        U = triu(P,1)+I, λ from the first column of the raw C rows; S_C = U, S_B = ΛU, μ = UᵀΛU;
//	                 pos, neg, mixed give μ the inertia (N+,0−), (0+,N−), (⌊N/2⌋+, N−⌊N/2⌋ −)
//	K                importance weight imporantness.weight (docs/paper.md §5.2)
//	Param, G         a named tensor with its gradient; ∂ the adjoints of the backward passes
//
// # Shapes
//
// The network is token-major: activations are (B, L, d) row blocks (B
// sequences of L tokens, rows b-major), d = d_model for the residual stream
// and d_inner = expand·d_model inside a mixer; weights are PyTorch's
// (out, in). The scan runs through mamba.ScanTokensSeqs on (B, L, d_inner),
// one range of sequences at a time inside the mixer's pass.
//
// # Threads
//
// A pass splits the batch into contiguous ranges, one per worker
// (parallel.go); sums over rows (parameter gradients) are either matrix
// products summed over all rows in order or per-sequence partial sums
// reduced in batch order, so results are bit-identical for any number of
// workers. A Mamba block's forward (norm, mixer with its scan, residual) is
// one such pass, and so is its backward, which also runs the block above's
// weight-gradient products (block.go, model_backbone.go).
//
// # Precision
//
// Every type is generic over Float (float32 or float64): float32 for
// training (AVX2+FMA GEMM micro-kernels, conv FMA rows and pkg/mamba's
// activation kernels on amd64, portable Go with the purego tag), float64 for
// the finite-difference gradient checks.
package model
