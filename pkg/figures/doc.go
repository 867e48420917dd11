// Package figures is the registry of every figure and table that the
// companion reproduces, and the deterministic writers that turn them into
// files (`tokendyn figures`).
//
// Each Artifact names what it reproduces (docs/paper.md §3 Table 1, §4 Figure 6,
// or a claim of the abstract), the notebook that shows it, whether it is
// exact theory or a scaled-down proxy, its parameters and its seed. Its
// Build function computes the numbers from the packages (pkg/theory,
// pkg/mamba) and describes the result with renderer-independent types
// (Figure, Panel, Series, Rule, Heatmap; Table, Column, Cell), which live in
// pkg/figures/render with the writers, so that pkg/notebook can draw without
// this registry's training stack. Render builds one artifact in memory
// (notebooks). Build then
// writes, for every figure, a PNG (gonum/plot, fixed DPI), an SVG (fonts
// embedded) and an interactive HTML page (go-echarts, fixed chart IDs,
// echarts.min.js loaded from assets/ next to it, never from a CDN); for every
// table, CSV, Markdown and LaTeX (booktabs); for every artifact a JSON
// sidecar; and INDEX.md. Files are written atomically and are byte-identical
// from run to run, except the sidecar field WallTimeField.
//
// Each sidecar's provenance (Provenance) records what made the artifact:
// the binary's commit, the command, and the digests of its inputs — its
// parameters, the module's code (CodeDigest) and, for an experiment
// artifact, the stored result it drew, the experiment's key and data digest
// and its pre-registration. Verify (`tokendyn verify`) recomputes them
// without building anything and says which artifacts are stale or missing.
//
// Adding an artifact: write artifact_<name>.go with a constructor
//
//	func myArtifact() Artifact {
//		return Artifact{ID: "fig-my", Kind: KindFigure, Title: "...", PaperRef: "claim: ...",
//			Notebook: "notebooks/07-my.ipynb", Scale: "scaled-down proxy of ...", Seed: 7,
//			Build: func(ctx context.Context, env Env) (*Result, error) { ... }}
//	}
//
// and add `myArtifact(),` to All.
//
// Glossary (the figures' names for the paper's symbols, docs/paper.md §1–§4;
// each symbol and the function computing it: package mamba's glossary):
//
//	Mu, μ              μ = S_Cᵀ S_B, the scalar input/output projection of the 1-D theory
//	SDelta, S_Δ        step-size projection; Δ(x) = softplus(S_Δ x)
//	A, a               state matrix A = −a I_N (1-D theory), diagonal negative A_d (D > 1)
//	x_l(t), token l    the l-th token at depth/time t of the continuous-time system (§2)
//	T*                 finite blow-up time of the fast-divergence scenario (Theorem C)
//	SC^T SB, S_Cᵀ S_B  the D×D input/output projection matrix whose eigenvalue signs
//	                   label Figure 6's panels (A: +,+; B: +,−; C: −,−)
//	P^d, P^d_lj        hidden attention matrix of channel d (§1.2): y_{l,d} = Σ_j P^d_lj x_{j,d}
//	pos / neg / mixed  refinement-1 parametrizations of x_proj (§5.1): S_Cᵀ S_B = Uᵀ Λ U with
//	                   Λ > 0.7, Λ < −0.7, or 8 positive and 8 negative entries
//	scenario           convergence (μ < 0), slow divergence (μ > 0, S_Δ x_l(0) < 0 ∀l),
//	                   fast divergence (μ > 0, ∃l: S_Δ x_l(0) > 0) (Table 1)
package figures
