package lm

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/internal/cputime"
	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
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
}

// Run trains every (depth, seed, arm) of spec on corpus, spec.Parallel runs
// at a time; the result does not depend on Parallel. progress (may be nil)
// gets (updates done, updates in total); log (may be nil) one line per
// finished run.
func Run(ctx context.Context, spec Spec, corpus *text.Corpus, progress func(done, total int), log io.Writer) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	start, cpu0 := time.Now(), cputime.Process()
	jobs := spec.jobs()
	steps := spec.Base.Train.Steps
	if spec.Base.Epochs > 0 {
		steps = lmrun.StepsForEpochs(spec.Base.Epochs, (len(corpus.Text[text.Train])-1)/spec.Base.Data.SeqLen, spec.Base.Train.Batch, spec.Base.Train.Accum)
	}
	total := steps * len(jobs)
	var done atomic.Int64
	name := func(j job) string {
		return fmt.Sprintf("%s %s seed %d", spec.Depths[j.depth].Name(), spec.Arms[j.arm].Name, j.seed)
	}
	runs, err := parallel.Map(ctx, len(jobs), spec.Parallel, func() struct{} { return struct{}{} },
		func(ctx context.Context, _ struct{}, i int) (RunResult, error) {
			j := jobs[i]
			r, err := train.Run(ctx, j.cfg, corpus, train.RunOptions{Hooks: train.Hooks{OnStep: func(optim.StepStats) {
				if d := done.Add(1); progress != nil {
					progress(int(d), total)
				}
			}}})
			if err != nil {
				return RunResult{}, fmt.Errorf("lm: experiment %s, %s: %w", spec.Name, name(j), err)
			}
			return RunResult{Depth: spec.Depths[j.depth].Name(), Arm: spec.Arms[j.arm].Name, Result: r}, nil
		}, func(i int, r RunResult, _ int) {
			if log != nil {
				fmt.Fprintf(log, "%s: %s: test ppl %.4f (%.4f bits/byte), %.0f s\n",
					spec.Name, name(jobs[i]), r.Test.Perplexity, r.Test.BitsPerByte, r.Seconds)
			}
		})
	if err != nil {
		return nil, err
	}
	res := &Result{
		Spec: spec, Data: corpus.Digest, Corpus: corpus.Source,
		Splits:  [3]int{len(corpus.Text[text.Train]), len(corpus.Text[text.Valid]), len(corpus.Text[text.Test])},
		Go:      fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Seconds: time.Since(start).Seconds(), Runs: runs,
	}
	if cpu1 := cputime.Process(); cpu0 >= 0 && cpu1 > cpu0 {
		res.CPUSeconds = cpu1 - cpu0
	}
	return res, nil
}
