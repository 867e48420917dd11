package runner

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/internal/cputime"
	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// LM returns the cached result of spec when ROOT/.cache/experiments/
// holds a valid one under the current key, and says so on log; otherwise
// (no file, another key, or an invalid file, which it reports) it runs the
// experiment, stores the result atomically and returns it. cached reports
// which happened.
func LM(ctx context.Context, root string, spec lm.Spec, h Hooks, log io.Writer) (res *lm.Result, cached bool, err error) {
	if err := spec.Validate(); err != nil {
		return nil, false, err
	}
	if log == nil {
		log = io.Discard
	}
	// The pre-registration is read first: a design that cannot be decided
	// is not trained.
	decided := &lm.Result{Spec: spec}
	if err := decided.LoadPrereg(root); err != nil {
		return nil, false, err
	}
	key, numerics, err := LMKey(ctx, spec)
	if err != nil {
		return nil, false, err
	}
	path := experiment.CachePath(root, spec.Name, key)
	rel, _ := filepath.Rel(root, path)
	specJSON, err := spec.SpecJSON()
	if err != nil {
		return nil, false, err
	}
	r, err := lm.LoadKeyed(root, spec, key)
	switch {
	case r != nil:
		fmt.Fprintf(log, "experiment %s: reusing %s (same configuration, data and numerics fingerprint %.12s)\n", spec.Name, rel, numerics)
		return r, true, experiment.WriteCurrent(root, spec.Name, specJSON, key)
	case err != nil:
		fmt.Fprintf(log, "experiment %s: %v; recomputing\n", spec.Name, err)
	default:
		fmt.Fprintf(log, "experiment %s: no cached result for key %.16s: training %d depths × %d arms × %d seeds\n",
			spec.Name, key, len(spec.Depths), len(spec.Arms), len(spec.Seeds))
	}
	corpus, err := lmrun.LoadCorpus(spec.Base.Data)
	if err != nil {
		return nil, false, err
	}
	res, err = RunLM(ctx, spec, corpus, h, log)
	if err != nil {
		return nil, false, err
	}
	res.Key, res.Numerics, res.Prereg = key, numerics, decided.Prereg
	if err := experiment.StoreCache(path, res); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment %s: stored %s (%.0f s of wall time, %.0f s of CPU time)\n", spec.Name, rel, res.Seconds, res.CPUSeconds)
	return res, false, experiment.WriteCurrent(root, spec.Name, specJSON, key)
}

// RunLM trains every (depth, seed, arm) of spec on corpus, spec.Parallel
// runs at a time; the result does not depend on Parallel. h.OnStep (may be
// nil) gets (updates done, updates in total); log (may be nil) one line per
// finished run. It neither reads nor writes the cache (LM does).
func RunLM(ctx context.Context, spec lm.Spec, corpus *text.Corpus, h Hooks, log io.Writer) (*lm.Result, error) {
	progress := h.OnStep
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	start, cpu0 := time.Now(), cputime.Process()
	jobs := spec.Jobs()
	steps := spec.Base.Train.Steps
	if spec.Base.Epochs > 0 {
		steps = lmrun.StepsForEpochs(spec.Base.Epochs, (len(corpus.Text[text.Train])-1)/spec.Base.Data.SeqLen, spec.Base.Train.Batch, spec.Base.Train.Accum)
	}
	total := steps * len(jobs)
	var done atomic.Int64
	name := spec.JobName
	runs, err := parallel.Map(ctx, len(jobs), spec.Parallel, func() struct{} { return struct{}{} },
		func(ctx context.Context, _ struct{}, i int) (lm.RunResult, error) {
			j := jobs[i]
			r, err := train.Run(ctx, j.Config, corpus, train.RunOptions{Hooks: train.Hooks{OnStep: func(optim.StepStats) {
				if d := done.Add(1); progress != nil {
					progress(int(d), total)
				}
			}}})
			if err != nil {
				return lm.RunResult{}, fmt.Errorf("lm: experiment %s, %s: %w", spec.Name, name(j), err)
			}
			return lm.RunResult{Depth: spec.Depths[j.Depth].Name(), Arm: spec.Arms[j.Arm].Name, Result: r}, nil
		}, func(i int, r lm.RunResult, _ int) {
			if log != nil {
				fmt.Fprintf(log, "%s: %s: test ppl %.4f (%.4f bits/byte), %.0f s\n",
					spec.Name, name(jobs[i]), r.Test.Perplexity, r.Test.BitsPerByte, r.Seconds)
			}
		})
	if err != nil {
		return nil, err
	}
	res := &lm.Result{
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
