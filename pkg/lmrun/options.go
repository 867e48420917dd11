package lmrun

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Options are the optimization settings of one training run. The zero value
// is not usable; start from DefaultOptions.
type Options struct {
	// Steps is the number of optimizer updates.
	Steps int `json:"steps"`
	// Batch is the number of sequences per micro-batch (one Model.Loss call)
	// and Accum the number of micro-batches accumulated per update, so the
	// global batch is Batch·Accum sequences (the paper: 1 × 128).
	Batch int `json:"batch"`
	Accum int `json:"accum"`

	// LR is the peak learning rate, MinLRRatio·LR the final one (timm
	// lr_min), WarmupInit the first (warmup_lr_init) and WarmupFrac the
	// fraction of Steps spent warming up (docs/paper.md §6.1).
	LR          float64 `json:"lr"`
	MinLRRatio  float64 `json:"lr_min_ratio"`
	WarmupInit  float64 `json:"warmup_lr_init"`
	WarmupFrac  float64 `json:"warmup_frac"`
	WeightDecay float64 `json:"weight_decay"`
	// DecayGroups says which parameters the weight decay applies to:
	// DecayAll ("all", also the empty string: every parameter, as the
	// authors' optimizer, which has no parameter groups) or DecayMamba
	// ("mamba": Mamba's groups, exempting A_log, D, biases and norm
	// weights).
	DecayGroups string  `json:"decay_groups,omitempty"`
	Beta1       float64 `json:"beta1"`
	Beta2       float64 `json:"beta2"`
	Eps         float64 `json:"eps"`
	// Clip is the maximal global gradient norm; 0 disables clipping.
	Clip float64 `json:"clip"`

	// Seed fixes the data order and the dropout masks.
	Seed uint64 `json:"seed"`

	// EvalEvery is the number of updates between validation passes (0: only
	// at the end); EvalWindows caps the validation windows (0: all), and
	// EvalBatch is the batch used for evaluation (0: Batch).
	EvalEvery   int `json:"eval_every"`
	EvalWindows int `json:"eval_windows"`
	EvalBatch   int `json:"eval_batch"`

	// CheckpointEvery is the number of updates between checkpoints written to
	// CheckpointDir (0: only at the end); no checkpoints when CheckpointDir
	// is empty.
	CheckpointEvery int    `json:"checkpoint_every"`
	CheckpointDir   string `json:"checkpoint_dir,omitempty"`
}

// DefaultOptions returns the authors' optimizer settings (reconstruction
// §6.1 and §13: lr 1.5e-3, weight decay 0.25 on every parameter, betas (0.9, 0.999), eps 1e-8, warm-up
// 1 % from 1e-6, lr_min 0.1·lr, clip 1.0, seed 42) with a micro-batch of 1
// and no accumulation; the caller sets Steps, Batch and Accum.
func DefaultOptions() Options {
	return Options{
		Steps: 1, Batch: 1, Accum: 1,
		LR: 1.5e-3, MinLRRatio: 0.1, WarmupInit: 1e-6, WarmupFrac: 0.01,
		WeightDecay: 0.25, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Clip: 1.0,
		Seed: 42,
	}
}

// Validate reports the first setting that cannot work.
func (o Options) Validate() error {
	switch {
	case o.Steps < 1:
		return fmt.Errorf("lmrun: steps %d must be positive", o.Steps)
	case o.Batch < 1 || o.Accum < 1:
		return fmt.Errorf("lmrun: batch %d and accum %d must be positive", o.Batch, o.Accum)
	case !(o.MinLRRatio >= 0 && o.MinLRRatio <= 1):
		return fmt.Errorf("lmrun: lr_min_ratio %v must lie in [0, 1]", o.MinLRRatio)
	case !(o.WarmupFrac >= 0 && o.WarmupFrac <= 1):
		return fmt.Errorf("lmrun: warmup_frac %v must lie in [0, 1]", o.WarmupFrac)
	case !(o.Clip >= 0) || math.IsInf(o.Clip, 0):
		return fmt.Errorf("lmrun: clip %v must be a finite number >= 0", o.Clip)
	case o.EvalEvery < 0 || o.EvalWindows < 0 || o.EvalBatch < 0 || o.CheckpointEvery < 0:
		return fmt.Errorf("lmrun: eval_every, eval_windows, eval_batch and checkpoint_every must be >= 0")
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) || !(o.WarmupInit >= 0 && o.WarmupInit <= o.LR) {
		return fmt.Errorf("lmrun: lr %v must be a finite number > 0 and warmup_lr_init %v lie in [0, lr]", o.LR, o.WarmupInit)
	}
	if !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) || !(o.Eps > 0) {
		return fmt.Errorf("lmrun: adamw betas (%v, %v) must lie in [0, 1) and eps %v be > 0", o.Beta1, o.Beta2, o.Eps)
	}
	if o.DecayGroups != "" && o.DecayGroups != model.DecayAll && o.DecayGroups != model.DecayMamba {
		return fmt.Errorf("lmrun: decay_groups %q: want %q (every parameter, the authors') or %q (Mamba's groups)", o.DecayGroups, model.DecayAll, model.DecayMamba)
	}
	if !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0) {
		return fmt.Errorf("lmrun: weight decay %v must be a finite number >= 0", o.WeightDecay)
	}
	return nil
}

// TrainingPart is Options without the settings that do not change the
// weights (evaluation and checkpoints): a resumed run must have the same.
func (o Options) TrainingPart() Options {
	o.EvalEvery, o.EvalWindows, o.EvalBatch, o.CheckpointEvery, o.CheckpointDir = 0, 0, 0, 0, ""
	return o
}
