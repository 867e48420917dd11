package reorder

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Arm is one setting of the experiment. Reorder switches on token
// reordering in block Spec.ReorderLayer with SoftSort temperature Tau
// (straight-through one-hot with Hard); Authors says whether the setting is
// the authors' (τ = 1, soft).
type Arm struct {
	Name    string  `json:"name"`
	Reorder bool    `json:"reorder"`
	Tau     float64 `json:"tau,omitempty"`
	Hard    bool    `json:"hard,omitempty"`
	Authors bool    `json:"authors"`
}

// Label is the arm in words, for tables and legends.
func (a Arm) Label() string {
	switch {
	case !a.Reorder:
		return "without reordering"
	case a.Hard:
		return "reordering, hard straight-through (one-hot forward, τ = " + strconv.FormatFloat(a.Tau, 'g', -1, 64) + " backward), not the authors' setting"
	case a.Authors:
		return "reordering, τ = " + strconv.FormatFloat(a.Tau, 'g', -1, 64) + " (the authors' setting)"
	}
	return "reordering, τ = " + strconv.FormatFloat(a.Tau, 'g', -1, 64) + " (sharper, not the authors' setting)"
}

// Short is the arm in a few words, for legends (Label is the full
// description).
func (a Arm) Short() string {
	tau := strconv.FormatFloat(a.Tau, 'g', -1, 64)
	switch {
	case !a.Reorder:
		return "no reordering"
	case a.Hard:
		return "hard one-hot, τ = " + tau + " (not the authors')"
	case a.Authors:
		return "reordering, τ = " + tau + " (the authors')"
	}
	return "reordering, τ = " + tau + " (not the authors')"
}

// The arm names of Default.
const (
	ArmBaseline = "baseline"
	ArmTau1     = "reorder-tau1"
	ArmHard     = "reorder-hard"
)

// Spec specifies the experiment. Every field enters the cache key except
// DataDir (the files enter by digest) and Threads (each run is
// deterministic whatever runs beside it).
type Spec struct {
	// Name identifies the design ("" for designs that predate names); a
	// pre-registration names the design it governs.
	Name string `json:"name,omitempty"`
	// Prereg is the design's pre-registration, relative to the repository
	// root ("" = none); it decides the verdicts (LoadPrereg). Not part of
	// the key: the runs do not depend on it.
	Prereg string `json:"-"`
	// DataDir holds the four Fashion-MNIST IDX files ("" = Debian's
	// /usr/share/datasets/fashion-mnist).
	DataDir string `json:"-"`
	// TrainSize and TestSize images are drawn class-stratified with
	// SubsetSeed from the 60 000 training and 10 000 test images.
	TrainSize  int    `json:"train_size"`
	TestSize   int    `json:"test_size"`
	SubsetSeed uint64 `json:"subset_seed"`
	// Validation draws the TestSize evaluation images from the training
	// images instead of the test images, disjoint from the TrainSize
	// training images: the pilot that chooses a design scores it there and
	// never sees a test image (docs/prereg/reorder.md).
	Validation bool `json:"validation,omitempty"`
	// Patches are the patch sizes; each gives its own sequence length
	// L = (28/p)² (4: 49 tokens, 2: 196 tokens). Every arm and seed runs
	// at every patch size.
	Patches []int `json:"patches"`

	// Model (model.ClassifierConfig with the MambaVision mixer).
	DModel       int    `json:"d_model"`
	NLayer       int    `json:"n_layer"`
	DState       int    `json:"d_state"`
	DConv        int    `json:"d_conv"`
	Expand       int    `json:"expand"`
	ReorderLayer int    `json:"reorder_layer"` // the authors: the first Mamba block of the stage
	Init         string `json:"init"`          // model.InitMambaVision (the authors') or model.InitMamba
	// The authors' mixer quirks (docs/paper.md §5.2 item 6) when false.
	ReorderZ       bool `json:"reorder_z"`
	InversePermute bool `json:"inverse_permute"`
	SingleDtBias   bool `json:"single_dt_bias"`

	// Optimisation: AdamW, cosine schedule with linear warm-up, global-norm
	// clipping. DecayGroups is model.DecayAll (the authors: every
	// parameter), model.DecayMamba or model.DecayTimm (the authors'
	// MambaVision optimizer: every parameter of at most one dimension exempt).
	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	LR          float64 `json:"lr"`
	MinLRRatio  float64 `json:"lr_min_ratio"`
	WarmupInit  float64 `json:"warmup_lr_init"`
	WarmupFrac  float64 `json:"warmup_frac"`
	WeightDecay float64 `json:"weight_decay"`
	DecayGroups string  `json:"decay_groups"`
	Clip        float64 `json:"clip"`
	EvalBatch   int     `json:"eval_batch"`
	// Probe test images give the soft permutation's row max after every
	// epoch.
	Probe int `json:"probe"`
	// Target is the test accuracy whose first epoch ("epochs to reach")
	// is reported.
	Target float64 `json:"target_acc"`

	Arms  []Arm    `json:"arms"`
	Seeds []uint64 `json:"seeds"`

	// Threads is how many runs train at once (0: GOMAXPROCS).
	Threads int `json:"-"`
}

// DefaultArms are the three arms: baseline, the authors' τ = 1 (soft) and
// the hard straight-through SoftSort (not the authors'): its forward
// reorders by the one-hot permutation of the sorted scores, its backward is
// the soft one's at τ = 1. A small τ is no sharper arm here: with
// MambaVision's initialisation the scores are ~0.02 apart, so τ = 0.1
// still gives near-uniform rows (the same accuracies as τ = 1 in a quick
// run), while the hard arm is a permutation whatever the scale.
func DefaultArms() []Arm {
	return []Arm{
		{Name: ArmBaseline},
		{Name: ArmTau1, Reorder: true, Tau: 1, Authors: true},
		{Name: ArmHard, Reorder: true, Tau: 1, Hard: true},
	}
}

// Default is the pre-registered design (docs/prereg/reorder.md, PreregPath;
// TestPreregMatchesDefault keeps them equal), the experiment of `make
// figures`:
//
//	data   12 000 training images (1 200 per class), all 10 000 test images, patch 4 (49 tokens)
//	model  d_model 64, 2 blocks of MambaVision's mixer (d_state 8, d_conv 3, expand 1), reordering in block 0,
//	       MambaVision's initialisation (20 874 parameters without reordering)
//	optim  10 epochs of batch 16 (7 500 updates), AdamW lr 3e-3 (ours; the authors 8e-4), weight decay 0.05 with
//	       timm's groups (the authors' optimizer), warm-up 20/310 of the updates from 1e-6, lr_min = lr·5e-6/8e-4,
//	       clip 5 (the authors' values and ratios)
//	arms   baseline, τ = 1 (the authors'), hard straight-through (not the authors'); seeds 201–210
//
// The size and the budget were chosen by the pilot of the
// pre-registration (seeds 901–903 on validation images held out of the
// training images, never the test images), by the mean accuracy over all
// arms.
func Default() Spec {
	return Spec{
		Name: "reorder", Prereg: PreregPath,
		TrainSize: 12000, TestSize: 0, SubsetSeed: 7, Patches: []int{4},
		DModel: 64, NLayer: 2, DState: 8, DConv: 3, Expand: 1, ReorderLayer: 0, Init: model.InitMambaVision,
		Epochs: 10, Batch: 16, LR: 3e-3, MinLRRatio: 5e-6 / 8e-4, WarmupInit: 1e-6, WarmupFrac: 20.0 / 310,
		WeightDecay: 0.05, DecayGroups: model.DecayTimm, Clip: 5, EvalBatch: 250, Probe: 32, Target: 0.8,
		Arms:  DefaultArms(),
		Seeds: []uint64{201, 202, 203, 204, 205, 206, 207, 208, 209, 210},
	}
}

// FiveSeeds is the superseded design (docs/results/history/reorder-5seeds.json):
// 4 000 training and 1 000 test images, patches 4 and 2 (49 and 196
// tokens), d_model 32, 5 epochs, weight decay on every parameter, seeds 1–5.
func FiveSeeds() Spec {
	return Spec{
		TrainSize: 4000, TestSize: 1000, SubsetSeed: 7, Patches: []int{4, 2},
		DModel: 32, NLayer: 2, DState: 8, DConv: 3, Expand: 1, ReorderLayer: 0, Init: model.InitMambaVision,
		Epochs: 5, Batch: 16, LR: 3e-3, MinLRRatio: 5e-6 / 8e-4, WarmupInit: 1e-6, WarmupFrac: 20.0 / 310,
		WeightDecay: 0.05, DecayGroups: model.DecayAll, Clip: 5, EvalBatch: 250, Probe: 32, Target: 0.7,
		Arms: DefaultArms(), Seeds: []uint64{1, 2, 3, 4, 5},
	}
}

// Quick is Default shrunk to seconds (tests, `tokendyn figures --quick`,
// the notebook's live run): 400 training and 200 test images, 49 tokens,
// d_model 32, 2 epochs, seeds 1 and 2, decided by the pre-registration's
// rule on its own seeds (a smoke test of the code path).
func Quick() Spec {
	s := Default()
	s.Name = "reorder" + experiment.SmokeSuffix
	s.TrainSize, s.TestSize, s.Patches, s.DModel = 400, 200, []int{4}, 32
	s.Epochs, s.Probe, s.Target = 2, 8, 0.5
	s.Seeds = []uint64{1, 2}
	return s
}

// ClassifierConfig is the model of arm a on tokens of features features.
func (s Spec) ClassifierConfig(a Arm, features, classes int) model.ClassifierConfig {
	mc := model.ClassifierConfig{
		DModel: s.DModel, NLayer: s.NLayer, Features: features, Classes: classes,
		DState: s.DState, DConv: s.DConv, Expand: s.Expand, Mixer: model.MixerVision, Init: s.Init,
		Vision: model.VisionOptions{
			ReorderZ: s.ReorderZ, InversePermute: s.InversePermute, SingleDtBias: s.SingleDtBias,
		},
	}
	if a.Reorder {
		mc.ReorderLayers = []int{s.ReorderLayer}
		mc.Vision.SoftSort = model.SoftSort{Tau: a.Tau, Hard: a.Hard}
	}
	return mc
}

// Validate reports the first setting that cannot work.
func (s Spec) Validate() error {
	fin := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case s.TrainSize < 0 || s.TestSize < 0:
		return fmt.Errorf("reorder: train_size %d and test_size %d must be >= 0", s.TrainSize, s.TestSize)
	case len(s.Patches) == 0:
		return fmt.Errorf("reorder: no patch sizes")
	case s.DModel < 1 || s.NLayer < 1:
		return fmt.Errorf("reorder: d_model %d and n_layer %d must be positive", s.DModel, s.NLayer)
	case s.ReorderLayer < 0 || s.ReorderLayer >= s.NLayer:
		return fmt.Errorf("reorder: reorder_layer %d outside [0, %d)", s.ReorderLayer, s.NLayer)
	case s.Init != model.InitMambaVision && s.Init != model.InitMamba:
		return fmt.Errorf("reorder: init %q (want %q or %q)", s.Init, model.InitMambaVision, model.InitMamba)
	case s.DecayGroups != model.DecayAll && s.DecayGroups != model.DecayMamba && s.DecayGroups != model.DecayTimm:
		return fmt.Errorf("reorder: decay_groups %q (want %q, %q or %q)", s.DecayGroups, model.DecayAll, model.DecayMamba, model.DecayTimm)
	case s.Epochs < 1 || s.Batch < 1 || s.EvalBatch < 1 || s.Probe < 1:
		return fmt.Errorf("reorder: epochs %d, batch %d, eval_batch %d and probe %d must be positive", s.Epochs, s.Batch, s.EvalBatch, s.Probe)
	case !(s.LR > 0) || !fin(s.LR) || !(s.MinLRRatio >= 0 && s.MinLRRatio <= 1) || !(s.WarmupFrac >= 0 && s.WarmupFrac <= 1):
		return fmt.Errorf("reorder: lr %v, lr_min_ratio %v, warmup_frac %v: want lr > 0 and ratios in [0, 1]", s.LR, s.MinLRRatio, s.WarmupFrac)
	case !(s.WeightDecay >= 0) || !fin(s.WeightDecay) || !(s.Clip >= 0) || !fin(s.Clip):
		return fmt.Errorf("reorder: weight decay %v and clip %v must be finite numbers >= 0", s.WeightDecay, s.Clip)
	case !(s.Target > 0 && s.Target <= 1):
		return fmt.Errorf("reorder: target accuracy %v outside (0, 1]", s.Target)
	case len(s.Seeds) < 2:
		return fmt.Errorf("reorder: %d seeds; a paired confidence interval needs at least 2", len(s.Seeds))
	case s.Threads < 0:
		return fmt.Errorf("reorder: threads %d must be >= 0", s.Threads)
	}
	for i, p := range s.Patches {
		if p < 1 || 28%p != 0 || slices.Contains(s.Patches[:i], p) {
			return fmt.Errorf("reorder: patch size %d must divide 28 and be listed once", p)
		}
	}
	if len(s.Arms) < 2 || s.Arms[0].Reorder {
		return fmt.Errorf("reorder: the first arm must be the baseline (no reordering), followed by at least one reordering arm")
	}
	for i, a := range s.Arms {
		if a.Name == "" || slices.ContainsFunc(s.Arms[:i], func(b Arm) bool { return b.Name == a.Name }) {
			return fmt.Errorf("reorder: arm %d has an empty or repeated name %q", i, a.Name)
		}
		if i > 0 && !a.Reorder {
			return fmt.Errorf("reorder: arm %q: only the first arm is the baseline", a.Name)
		}
		if a.Reorder && (!(a.Tau > 0) || !fin(a.Tau)) {
			return fmt.Errorf("reorder: arm %q: SoftSort tau %v must be a finite number > 0", a.Name, a.Tau)
		}
		if a.Authors && (!a.Reorder || a.Tau != 1 || a.Hard) {
			return fmt.Errorf("reorder: arm %q: the authors' setting is soft reordering at tau 1", a.Name)
		}
		if a.Hard && !a.Reorder {
			return fmt.Errorf("reorder: arm %q: hard without reordering", a.Name)
		}
	}
	for i, sd := range s.Seeds {
		if slices.Contains(s.Seeds[:i], sd) {
			return fmt.Errorf("reorder: seed %d listed twice", sd)
		}
	}
	if err := checkSchedule(s); err != nil {
		return fmt.Errorf("reorder: %w", err)
	}
	return nil
}

// checkSchedule checks the learning-rate settings the runner's cosine
// schedule is built from.
func checkSchedule(s Spec) error {
	switch {
	case !(s.LR > 0) || math.IsInf(s.LR, 0):
		return fmt.Errorf("reorder: lr %v must be a finite number > 0", s.LR)
	case !(s.MinLRRatio >= 0 && s.MinLRRatio <= 1):
		return fmt.Errorf("reorder: lr_min_ratio %v must lie in [0, 1]", s.MinLRRatio)
	case !(s.WarmupInit >= 0 && s.WarmupInit <= s.LR):
		return fmt.Errorf("reorder: warmup_lr_init %v must lie in [0, lr]", s.WarmupInit)
	case !(s.WarmupFrac >= 0 && s.WarmupFrac <= 1):
		return fmt.Errorf("reorder: warmup_frac %v must lie in [0, 1]", s.WarmupFrac)
	}
	return nil
}
