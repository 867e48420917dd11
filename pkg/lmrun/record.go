package lmrun

import (
	"math"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Eval is the result of one evaluation pass.
//
//	NLL         mean negative log-likelihood per predicted token (nats)
//	Perplexity  exp(NLL), the paper's metric (docs/paper.md §6.1)
//	BitsPerByte NLL/ln 2: bits per byte for the byte-level corpora
//	Tokens      number of predicted tokens the mean is over
type Eval struct {
	NLL         float64 `json:"nll"`
	Perplexity  float64 `json:"perplexity"`
	BitsPerByte float64 `json:"bits_per_byte"`
	Tokens      int64   `json:"tokens"`
}

// NewEval fills the derived metrics from a mean NLL over tokens predictions.
func NewEval(nll float64, tokens int64) Eval {
	return Eval{NLL: nll, Perplexity: math.Exp(nll), BitsPerByte: nll / math.Ln2, Tokens: tokens}
}

// Point is one entry of the training history, recorded at every evaluation.
type Point struct {
	Step int `json:"step"`
	// Tokens is the number of predicted training tokens seen so far.
	Tokens int64 `json:"tokens"`
	// TrainLoss is the mean training NLL of the updates since the previous
	// point (with dropout, before the update).
	TrainLoss float64 `json:"train_loss"`
	LR        float64 `json:"lr"`
	Valid     Eval    `json:"valid"`
	// Seconds is the wall time since the start of training (not part of the
	// deterministic result).
	Seconds float64 `json:"seconds"`
}

// Result is the record of one trained model (pkg/train.Run returns it).
type Result struct {
	Scenario string  `json:"scenario"`
	Seed     uint64  `json:"seed"`
	Params   int     `json:"params"`  // trainable scalars (tied head counted once)
	Tokens   int64   `json:"tokens"`  // predicted training tokens seen
	Seconds  float64 `json:"seconds"` // wall time of training and evaluation
	Valid    Eval    `json:"valid"`   // final validation pass
	Test     Eval    `json:"test"`    // final test pass
	// Curve is the validation history (perplexity vs step).
	Curve []Point `json:"curve"`
	// Spectra are the eigenvalues of μ = S_Cᵀ S_B per layer after training.
	Spectra []model.LayerSpectrum `json:"spectra"`
	// Skip are the sign statistics of the skip D per layer after training.
	Skip []model.SkipStat `json:"skip"`
	// DecayIntegral is the run's total weight decay Σ_t lr(t)·wd over its
	// updates (optim.Cosine.Integral times the weight decay): after it a
	// weight the gradient leaves alone has shrunk to ≈ exp(−DecayIntegral).
	// Results stored before it was recorded read 0.
	DecayIntegral float64 `json:"lr_wd_sum,omitempty"`
}
