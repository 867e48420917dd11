package train

import (
	"fmt"
	"math"
	"slices"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Arms of the reordering experiment (refinement 2, docs/paper.md §5.2).
const (
	ArmBaseline = "baseline" // the MambaVision mixer without token reordering
	ArmReorder  = "reorder"  // the same model, the first Mamba block reordering tokens by importance
)

// ReorderConfig specifies the scaled-down proxy of the paper's ImageNet-1K
// experiment (docs/paper.md §6.2: MambaVision-T trained with and without
// token reordering): a small Mamba classifier on Fashion-MNIST images cut
// into 4×4 patches (L = 49 tokens of 16 features, the size of MambaVision's
// stage-4 windows), trained for both arms and every seed.
//
// Everything here changes the result and enters the cache key, except
// Threads (the jobs are independent and each job is deterministic whatever
// the thread count) and DataDir (the data files enter the key by digest).
type ReorderConfig struct {
	// DataDir holds the four Fashion-MNIST IDX files ("" = Debian's
	// /usr/share/datasets/fashion-mnist).
	DataDir string `json:"-"`
	// TrainSize and TestSize are the numbers of images drawn, class
	// stratified with SubsetSeed, from the 60 000 training and 10 000 test
	// images (0 = all of them). TrainEvalSize training images (0 = none)
	// are re-evaluated in evaluation mode after every epoch.
	TrainSize     int    `json:"train_size"`
	TestSize      int    `json:"test_size"`
	TrainEvalSize int    `json:"train_eval_size"`
	SubsetSeed    uint64 `json:"subset_seed"`
	Patch         int    `json:"patch"`

	// Model: model.ClassifierConfig with the MambaVision mixer. DState,
	// DConv and Expand default to MambaVision's mixer (8, 3, 1).
	DModel int `json:"d_model"`
	NLayer int `json:"n_layer"`
	DState int `json:"d_state"`
	DConv  int `json:"d_conv"`
	Expand int `json:"expand"`
	DtRank int `json:"dt_rank"` // 0: ⌈d_model/16⌉
	// ReorderLayer is the block that reorders tokens in the "reorder" arm:
	// the authors reorder in the first Mamba block of each stage
	// (docs/paper.md §5.2 "Where in the network"); with our single stage,
	// block 0.
	ReorderLayer int `json:"reorder_layer"`
	// The quirks of the authors' mixer (docs/paper.md §5.2 item 6). The
	// zero values are the authors' behaviour: z not reordered, no inverse
	// permutation after the scan, dt_proj.bias added twice.
	ReorderZ       bool    `json:"reorder_z"`
	InversePermute bool    `json:"inverse_permute"`
	SingleDtBias   bool    `json:"single_dt_bias"`
	Tau            float64 `json:"softsort_tau"` // SoftSort temperature τ (authors: 1)

	// Optimisation, after the authors' ImageNet recipe (docs/paper.md §6.2):
	// AdamW, cosine schedule with linear warm-up, global-norm clipping.
	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	LR          float64 `json:"lr"`
	MinLRRatio  float64 `json:"lr_min_ratio"`
	WarmupInit  float64 `json:"warmup_lr_init"`
	WarmupFrac  float64 `json:"warmup_frac"`
	WeightDecay float64 `json:"weight_decay"`
	Clip        float64 `json:"clip"`
	EvalBatch   int     `json:"eval_batch"`

	// Arms lists ArmBaseline and/or ArmReorder; Seeds the seeds of each arm
	// (a seed fixes the initial weights and the data order).
	Arms  []string `json:"arms"`
	Seeds []uint64 `json:"seeds"`

	// Threads is how many (arm, seed) jobs run at once (0: GOMAXPROCS).
	Threads int `json:"-"`
}

// DefaultReorderConfig is the default experiment of `make figures`
// (tab-imagenet-scaled, fig-reorder-curves), sized on the shared 2-core
// machine so that both arms × 3 seeds, with evaluation after every epoch,
// take at most 15 minutes (measured: 260–670 training images per second
// per run with two runs at once, depending on the other jobs' load):
//
//	data   10 000 training images (1/6 of Fashion-MNIST's 60 000, 1 000 per
//	       class), evaluated on all 10 000 test images after every epoch;
//	       1 000 of the training images are re-evaluated for the training accuracy
//	model  d_model 32, 4 Mamba blocks with MambaVision's mixer (d_state 8,
//	       d_conv 3, expand 1), reordering in block 0 (the first Mamba
//	       block of the stage, as the authors)
//	optim  5 epochs, batch 32, AdamW lr 3e-3 (our choice for this small
//	       model), weight decay 0.05, warm-up over 20/310 of the steps from
//	       1e-6, lr_min = lr/160, clip 5 (the authors' values and ratios:
//	       warm-up 20 of 310 epochs, 5e-6/8e-4)
//	seeds  1, 2, 3 for each arm
func DefaultReorderConfig() ReorderConfig {
	return ReorderConfig{
		TrainSize: 10000, TestSize: 10000, TrainEvalSize: 1000, SubsetSeed: 7, Patch: 4,
		DModel: 32, NLayer: 4, DState: 8, DConv: 3, Expand: 1,
		Tau:    1,
		Epochs: 5, Batch: 32, LR: 3e-3, MinLRRatio: 5e-6 / 8e-4, WarmupInit: 1e-6, WarmupFrac: 20.0 / 310,
		WeightDecay: 0.05, Clip: 5, EvalBatch: 250,
		Arms:  []string{ArmBaseline, ArmReorder},
		Seeds: []uint64{1, 2, 3},
	}
}

// QuickReorderConfig is a small configuration for tests, smoke runs
// (`tokendyn figures --quick`) and the notebook, seconds per run: 2 000
// training and 1 000 test images, d_model 32, 2 blocks, 3 epochs of batch
// 16 at lr 1e-2, seeds 1 and 2.
func QuickReorderConfig() ReorderConfig {
	c := DefaultReorderConfig()
	c.TrainSize, c.TestSize, c.TrainEvalSize = 2000, 1000, 500
	c.NLayer = 2
	c.Epochs, c.Batch, c.LR = 3, 16, 1e-2
	c.Seeds = []uint64{1, 2}
	return c
}

// classifierConfig is the model of one arm.
func (c ReorderConfig) classifierConfig(arm string, features, classes int) model.ClassifierConfig {
	mc := model.ClassifierConfig{
		DModel: c.DModel, NLayer: c.NLayer, Features: features, Classes: classes,
		DState: c.DState, DConv: c.DConv, Expand: c.Expand, DtRank: c.DtRank,
		Mixer: model.MixerVision,
		// The superseded experiment keeps Mamba's init so that notebook 08
		// still shows what it showed; pkg/experiment/reorder replaces it.
		Init: model.InitMamba,
		Vision: model.VisionOptions{
			SoftSort:       model.SoftSort{Tau: c.Tau},
			ReorderZ:       c.ReorderZ,
			InversePermute: c.InversePermute,
			SingleDtBias:   c.SingleDtBias,
		},
	}
	if arm == ArmReorder {
		mc.ReorderLayers = []int{c.ReorderLayer}
	}
	return mc
}

// Schedule is the learning-rate schedule over steps optimizer updates.
func (c ReorderConfig) schedule(steps int) Cosine {
	return Cosine{
		Peak: c.LR, Min: c.MinLRRatio * c.LR, WarmupInit: c.WarmupInit,
		Warmup: int(math.Round(c.WarmupFrac * float64(steps))), Total: steps,
	}
}

// Validate reports the first setting that cannot work.
func (c ReorderConfig) Validate() error {
	switch {
	case c.TrainSize < 0 || c.TestSize < 0 || c.TrainEvalSize < 0:
		return fmt.Errorf("train: reorder: train_size %d, test_size %d, train_eval_size %d must be >= 0",
			c.TrainSize, c.TestSize, c.TrainEvalSize)
	case c.Patch < 1:
		return fmt.Errorf("train: reorder: patch %d must be positive", c.Patch)
	case c.DModel < 1 || c.NLayer < 1:
		return fmt.Errorf("train: reorder: d_model %d and n_layer %d must be positive", c.DModel, c.NLayer)
	case c.ReorderLayer < 0 || c.ReorderLayer >= c.NLayer:
		return fmt.Errorf("train: reorder: reorder_layer %d outside [0, %d)", c.ReorderLayer, c.NLayer)
	case !(c.Tau > 0) || math.IsInf(c.Tau, 0):
		return fmt.Errorf("train: reorder: SoftSort tau %v must be a finite number > 0", c.Tau)
	case c.Epochs < 1 || c.Batch < 1 || c.EvalBatch < 1:
		return fmt.Errorf("train: reorder: epochs %d, batch %d and eval_batch %d must be positive", c.Epochs, c.Batch, c.EvalBatch)
	case !(c.MinLRRatio >= 0 && c.MinLRRatio <= 1):
		return fmt.Errorf("train: reorder: lr_min_ratio %v must lie in [0, 1]", c.MinLRRatio)
	case !(c.WarmupFrac >= 0 && c.WarmupFrac <= 1):
		return fmt.Errorf("train: reorder: warmup_frac %v must lie in [0, 1]", c.WarmupFrac)
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0):
		return fmt.Errorf("train: reorder: weight decay %v must be a finite number >= 0", c.WeightDecay)
	case !(c.Clip >= 0) || math.IsInf(c.Clip, 0):
		return fmt.Errorf("train: reorder: clip %v must be a finite number >= 0", c.Clip)
	case len(c.Arms) == 0:
		return fmt.Errorf("train: reorder: no arms (want %q and/or %q)", ArmBaseline, ArmReorder)
	case len(c.Seeds) == 0:
		return fmt.Errorf("train: reorder: no seeds")
	case c.Threads < 0:
		return fmt.Errorf("train: reorder: threads %d must be >= 0", c.Threads)
	}
	for i, a := range c.Arms {
		if a != ArmBaseline && a != ArmReorder {
			return fmt.Errorf("train: reorder: unknown arm %q (want %q or %q)", a, ArmBaseline, ArmReorder)
		}
		if slices.Contains(c.Arms[:i], a) {
			return fmt.Errorf("train: reorder: arm %q listed twice", a)
		}
	}
	for i, s := range c.Seeds {
		if slices.Contains(c.Seeds[:i], s) {
			return fmt.Errorf("train: reorder: seed %d listed twice", s)
		}
	}
	if err := c.schedule(1).Validate(); err != nil {
		return fmt.Errorf("train: reorder: %w", err)
	}
	return nil
}
