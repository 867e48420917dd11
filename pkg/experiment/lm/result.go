package lm

import (
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// RunResult is one trained model: its depth and arm (by name), its seed
// and what train.Run measured (final validation and test passes, history,
// μ's spectrum and the skip D per layer).
type RunResult struct {
	Depth string `json:"depth"`
	Arm   string `json:"arm"`
	lmrun.Result
}

// Result is the outcome of an experiment, as stored in its cache.
type Result struct {
	Spec Spec   `json:"spec"`
	Key  string `json:"key"`
	// Numerics is the fingerprint of the short deterministic run of the same
	// code path (Numerics), part of the key.
	Numerics string `json:"numerics"`
	Data     string `json:"data_digest"` // the corpus files' digest
	Corpus   string `json:"corpus"`      // where the corpus came from
	Splits   [3]int `json:"split_bytes"` // train, valid, test sizes
	Go       string `json:"go"`          // Go version and GOOS/GOARCH
	// Seconds is the wall time of the experiment and CPUSeconds its CPU
	// time (user + system of the process during the run; 0 when unknown).
	Seconds    float64     `json:"seconds"`
	CPUSeconds float64     `json:"cpu_seconds"`
	Runs       []RunResult `json:"runs"`
	// Prereg is the pre-registration that decides the result (LoadPrereg;
	// nil: the design has none). Read from the repository, never stored.
	Prereg *experiment.Prereg `json:"-"`
}
