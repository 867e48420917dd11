package model

import (
	"fmt"
	"math"
)

// LMConfig is the shape of a Mamba language model (mamba_ssm MambaConfig,
// docs/paper.md §1.3, §6.1), and its JSON form under MambaConfig's names: the
// one model configuration of the repository (run configurations, the
// experiments' specifications, checkpoints and their reports all use it).
// Zero values of DState, DConv, Expand and DtRank mean Mamba's defaults: 16,
// 4, 2 and ⌈DModel/16⌉. Vocab 0 in a run configuration means the corpus's
// (96 for gcide, 256 for wikitext103).
type LMConfig struct {
	DModel int `json:"d_model"`
	NLayer int `json:"n_layer"`
	Vocab  int `json:"vocab_size"`
	DState int `json:"d_state"`
	DConv  int `json:"d_conv"`
	Expand int `json:"expand"`
	DtRank int `json:"dt_rank,omitempty"`
	// Param is the x_proj parametrization of refinement 1 (docs/paper.md §5.1):
	// "none" (or ""), "pos", "neg" or "mixed".
	Param string `json:"param"`
	// Dropout is the probability of the dropout on the final hidden states
	// (after norm_f, before the head), active only when training. Upstream
	// Mamba has none (0); the authors' WikiText-103 model hard-codes 0.3.
	Dropout float64 `json:"dropout"`
	// ZeroSkip initializes every layer's skip D at 0 instead of Mamba's 1.
	// Under the exact symmetry (neg, D, out_proj) ≡ (pos, −D, −out_proj)
	// of refinement 1 (docs/paper.md §13), a neg model with D₀ = +1 is a pos
	// model with D₀ = −1: the two arms differ only in whether the S6 path
	// starts aligned with or opposed to the skip D·u. With D₀ = 0 that
	// difference is gone, and neg and pos are the same distribution of
	// models (out_proj's initialization is symmetric).
	ZeroSkip bool `json:"zero_skip,omitempty"`
}

// ClassifierConfig is the shape of a sequence classifier: a linear feature
// (patch) embedding Features → DModel with bias, NLayer residual Mamba
// blocks, norm_f, a mean over positions, optional dropout, and a linear head
// DModel → Classes with bias (the proxy of docs/paper.md §6.2).
type ClassifierConfig struct {
	DModel, NLayer, Features, Classes int
	DState, DConv, Expand, DtRank     int
	Param                             string  // as LMConfig.Param
	Dropout                           float64 // on the pooled features, training only
	// Mixer is "mamba" (or ""): mamba_simple's mixer (causal conv, SiLU(z)
	// gate), or "vision": the MambaVision mixer of the authors' code.
	Mixer string
	// ReorderLayers lists the layers whose mixer reorders tokens by
	// importance (refinement 2, docs/paper.md §5.2). It needs Mixer "vision". The
	// authors reorder in the first Mamba block of each of their two stages.
	ReorderLayers []int
	// Vision configures the vision mixer (SoftSort and the code's quirks).
	Vision VisionOptions
	// Init is the initialisation: InitMamba (mamba_ssm's) or InitMambaVision
	// (MambaVision's trunc_normal(0.02) with zero biases); "" means
	// InitMambaVision for Mixer "vision" and InitMamba for Mixer "mamba".
	Init string `json:",omitempty"`
}

// VisionOptions configures the MambaVision mixer. Zero values are the
// authors' behaviour (docs/paper.md §5.2 item 6).
type VisionOptions struct {
	// SoftSort configures the soft permutation (τ = 1, p = 1, soft by default).
	SoftSort SoftSort
	// ReorderZ also reorders the gate branch z with the same P̂, so y and z
	// stay aligned in the concatenation. The authors do not (false).
	ReorderZ bool
	// InversePermute applies P̂ᵀ to the reordered branches after the scan,
	// restoring the original token order before out_proj (P̂ᵀ is the exact
	// inverse when P̂ is a permutation). The authors do not (false): the mixer
	// output, in sorted order, is added to the unsorted residual.
	InversePermute bool
	// SingleDtBias adds dt_proj.bias once. The authors' (and upstream
	// MambaVision's) scan adds it twice: dt_proj(dt) already contains it and
	// selective_scan_fn gets delta_bias = dt_proj.bias again (false).
	SingleDtBias bool
}

// Mixer kinds of ClassifierConfig.Mixer.
const (
	MixerMamba  = "mamba"
	MixerVision = "vision"
)

// mixerDims are the sizes shared by every layer of a model.
type mixerDims struct {
	dModel, dInner, dtRank, nState, dConv int
}

// resolveDims applies Mamba's defaults and checks the sizes.
func resolveDims(dModel, nLayer, dState, dConv, expand, dtRank int) (mixerDims, error) {
	if dModel < 1 || nLayer < 1 {
		return mixerDims{}, fmt.Errorf("model: config: DModel = %d and NLayer = %d must be positive", dModel, nLayer)
	}
	if dState == 0 {
		dState = 16
	}
	if dConv == 0 {
		dConv = 4
	}
	if expand == 0 {
		expand = 2
	}
	if dtRank == 0 {
		dtRank = int(math.Ceil(float64(dModel) / 16))
	}
	if dState < 1 || dConv < 1 || expand < 1 || dtRank < 1 {
		return mixerDims{}, fmt.Errorf("model: config: DState=%d, DConv=%d, Expand=%d, DtRank=%d must be positive",
			dState, dConv, expand, dtRank)
	}
	return mixerDims{dModel: dModel, dInner: expand * dModel, dtRank: dtRank, nState: dState, dConv: dConv}, nil
}

func checkDropout(p float64) error {
	if !(p >= 0 && p < 1) {
		return fmt.Errorf("model: config: Dropout = %v, want 0 ≤ p < 1", p)
	}
	return nil
}
