// Package lm is the scaled-down proxy of the paper's WikiText-103 experiment
// (refinement 1, docs/paper.md §5.1 and §6.1): byte-level Mamba language
// models whose x_proj is parametrized so that μ = S_Cᵀ S_B has negative
// (the convergent scenario), positive, mixed or unconstrained eigenvalues,
// trained from identical initial draws and data order per seed, at the
// authors' per-update weight decay and at their total decay Σ lr·wd, and
// compared seed by seed.
//
// The paper's claim is that the convergent scenario harms performance. An
// exact symmetry qualifies it (docs/paper.md §13, tested in pkg/model): from
// the same raw weights, (neg, D, out_proj) ≡ (pos, −D, −out_proj), so neg and
// pos differ only in whether the S6 path starts aligned with (pos) or
// opposed to (neg) the skip D·u (D₀ = 1). The arms neg-d0 and pos-d0 start
// at D₀ = 0, where the symmetry predicts no difference in distribution.
//
// The design (Default) is pre-registered in docs/prereg/lm.md, committed
// before its first run: hypotheses, the primary endpoint, seeds, arms,
// budget, power and the decision rule, which Result.Decide applies
// (experiment.PreregRule: paired t-test and TOST, Holm within families, four
// verdicts). Endpoints are written "DEPTH: A − B" (ParseEndpoint). The
// superseded depth sweep (DepthSweep) stays readable for its archived result
// (docs/results/history/).
//
// The package has the shape of every experiment of the repository: Spec,
// Default, Quick, Jobs, Result with Validate, Load (the stored result of a
// specification, read without training), Summary and Verdicts. It links no
// training code: pkg/experiment/runner trains it (runner.LM: the cache of
// pkg/experiment, keyed on the specification, the corpus digest and a
// numerics fingerprint; runner.LMReplay: a committed result checked by
// retraining its first seeds, Replay).
package lm
