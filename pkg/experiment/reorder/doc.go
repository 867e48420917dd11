// Package reorder is the scaled-down proxy of the paper's ImageNet-1K
// experiment (docs/paper.md §6.2; refinement 2 of §5.2: tokens reordered by the
// importance score s_l = K(S_Δ x_l + b_dt) through SoftSort before the scan):
// a small Mamba classifier with the authors' MambaVision mixer and
// MambaVision's initialisation on Fashion-MNIST images cut into patch tokens
// (4×4 patches: L = 49 tokens, the size of MambaVision-T's stage-4 windows;
// 2×2 patches: L = 196, stage 3's), trained in paired arms:
//
//	baseline         no reordering
//	reorder-tau1     reordering with SoftSort τ = 1, soft: the authors' setting
//	reorder-hard     hard straight-through SoftSort: the forward reorders by the one-hot
//	                 permutation of the sorted scores, the backward is the soft one's at
//	                 τ = 1: NOT the authors' setting
//
// Pairing: for a seed every arm starts from the same bits for every weight
// it shares with the baseline (the importance weights K come from their own
// random stream, model.NewClassifierStreams) and sees the images in the
// same order. Optimisation follows the authors' recipe (AdamW, weight decay
// on every parameter, cosine schedule with warm-up, clip 5) through
// optim.Loop (in pkg/experiment/runner), the training loop of the language
// models too.
//
// The API is the shape every experiment of pkg/experiment has: Spec,
// Default, Quick, Jobs, Result with Validate, Load/LoadKeyed/Store (the
// result cache of pkg/experiment, keyed on the Spec, the data digest and a
// numerics fingerprint; pkg/experiment/runner trains it, runner.Reorder, as
// this package links no training code),
// (*Result).Summary and (*Result).Verdict (experiment.Decide, never a
// fixed string). (*Result).Reduce, StoreReduced and DecodeReduced are the
// result without its importance records, small enough to commit
// (docs/results/reorder.json, from which the README's summary is computed).
package reorder
