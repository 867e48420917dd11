// Package optim is the optimizer toolkit both experiments train with: the
// one training loop and its parts, following the authors' setup
// (docs/paper.md §6.1: AdamW with betas (0.9, 0.999) and eps 1e-8,
// decoupled weight decay, a timm cosine schedule with linear warm-up,
// global-norm gradient clipping, gradient accumulation).
//
//	AdamW          adamw.go     torch.optim.AdamW, one step per optimizer update
//	Cosine         schedule.go  timm CosineLRScheduler (t_in_epochs=False, warmup_prefix=False)
//	ClipGradNorm   clip.go      torch.nn.utils.clip_grad_norm_ (and GradNorm, ScaleGrads, ZeroGrads)
//	DecayGroups    decay.go     which tensors AdamW decays: every one (the authors') or Mamba's groups
//	Order          order.go     the seeded epoch-by-epoch order of training examples
//	DropoutRNG     dropout.go   the dropout stream of one micro-batch, a pure function of (seed, position)
//	ApplyUpdate    update.go    one update's end: finiteness checks, averaging, clipping, AdamW
//	Loop           loop.go      the one training loop: accumulation, replicas, clipping, schedule, hooks
//
// The LM trainer (pkg/train) and the reordering experiment
// (pkg/experiment/reorder) drive Loop with their own batches and losses.
// The paper's symbols are in the glossary of pkg/mamba; this package has
// none of its own.
//
// Determinism: every random number of an update is a pure function of
// (seed, update), and the position lives in the optimizer, so a loop rebuilt
// around a restored optimizer continues an interrupted run bit for bit.
package optim
