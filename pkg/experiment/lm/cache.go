package lm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// Numerics returns the numerics fingerprint of the code that runs spec:
// every arm of spec trained on a one-layer d_model 8 model for 8 updates of
// 2 sequences of 16 tokens on a fixed synthetic corpus, hashing every
// training loss, the final validation and test NLL, μ's spectra and the
// skip statistics. It takes well under a second; any change to the
// arithmetic, the initialization, the data order or the CPU kernel changes
// it, a comment or a rename does not.
func Numerics(ctx context.Context, spec Spec) (string, error) {
	return numerics(ctx, spec, train.Run)
}

// numerics is Numerics with the run function as a parameter (tests perturb
// it to show that any change of a number changes the fingerprint).
func numerics(ctx context.Context, spec Spec, run func(context.Context, lmrun.Config, *text.Corpus, train.RunOptions) (lmrun.Result, error)) (string, error) {
	c := fingerprintCorpus()
	var series [][]float64
	for _, a := range spec.Arms {
		cfg := spec.Base
		cfg.Model = model.LMConfig{DModel: 8, NLayer: 1, DState: 4, DConv: 3, Expand: 2, Param: a.Param, ZeroSkip: a.ZeroSkip, Vocab: c.Vocab.Size()}
		cfg.Data.SeqLen = 16
		cfg.Epochs, cfg.Threads, cfg.Seed, cfg.FinalEvalWindows = 0, 1, 7, 8
		cfg.Train.Steps, cfg.Train.Batch, cfg.Train.Accum, cfg.Train.Seed = 8, 2, 1, 7
		cfg.Train.EvalEvery, cfg.Train.EvalWindows, cfg.Train.EvalBatch = 4, 4, 4
		cfg.Train.CheckpointDir, cfg.Train.CheckpointEvery = "", 0
		var losses []float64
		r, err := run(ctx, cfg, c, train.RunOptions{Hooks: train.Hooks{OnStep: func(s optim.StepStats) {
			losses = append(losses, s.Loss, s.GradNorm)
		}}})
		if err != nil {
			return "", fmt.Errorf("lm: numerics fingerprint, arm %s: %w", a.Name, err)
		}
		s := append(losses, r.Valid.NLL, r.Test.NLL)
		for _, sp := range r.Spectra {
			s = append(append(s, sp.Real...), sp.Imag...)
		}
		for _, k := range r.Skip {
			s = append(s, k.Mean, k.Min, k.Max)
		}
		series = append(series, s)
	}
	return experiment.Fingerprint(series...), nil
}

// fingerprintCorpus is a fixed pseudo-random bigram text over 12 symbols.
func fingerprintCorpus() *text.Corpus {
	rng := rand.New(rand.NewPCG(3, 5))
	s := make([]byte, 3000)
	for i := 1; i < len(s); i++ {
		s[i] = byte((int(s[i-1])*5 + rng.IntN(3)) % 12)
	}
	c, err := text.FromTokens("fingerprint", 12, s[:2400], s[2400:2700], s[2700:])
	if err != nil {
		panic(err) // 12 symbols, every id below 12
	}
	return c
}

// Key returns the cache key of spec (hash) and its numerics fingerprint.
// Parallel and Threads are left out of it: they change no result.
func (s Spec) Key(ctx context.Context) (hash, numerics string, err error) {
	numerics, err = Numerics(ctx, s)
	if err != nil {
		return "", "", err
	}
	data, err := lmrun.CorpusDigest(s.Base.Data)
	if err != nil {
		return "", "", err
	}
	k := s
	k.Parallel, k.Base.Threads = 0, 0
	b, err := json.Marshal(k)
	if err != nil {
		return "", "", fmt.Errorf("lm: experiment key: %w", err)
	}
	return experiment.Key{Spec: b, Data: data, Numerics: numerics}.Hash(), numerics, nil
}

// Validate checks a result field by field against spec: one run per job in
// the order of the jobs (depth, seed, arm), finite positive metrics, a
// non-empty validation history, and μ's spectrum and the skip statistics of
// every layer.
func (r *Result) Validate(spec Spec) error {
	jobs := spec.jobs()
	if len(r.Runs) != len(jobs) {
		return fmt.Errorf("%d runs, want %d (depths × seeds × arms)", len(r.Runs), len(jobs))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v > 0 }
	for i, j := range jobs {
		run := r.Runs[i]
		d, a := spec.Depths[j.depth], spec.Arms[j.arm]
		switch {
		case run.Depth != d.Name() || run.Arm != a.Name || run.Seed != j.seed:
			return fmt.Errorf("run %d is %s %s seed %d, want %s %s seed %d", i, run.Depth, run.Arm, run.Seed, d.Name(), a.Name, j.seed)
		case run.Scenario != a.Param:
			return fmt.Errorf("run %d (%s %s) has parametrization %q, want %q", i, run.Depth, run.Arm, run.Scenario, a.Param)
		case !finite(run.Valid.NLL) || !finite(run.Test.NLL) || !finite(run.Test.Perplexity) || !finite(run.Valid.Perplexity):
			return fmt.Errorf("run %d (%s %s seed %d): non-finite or non-positive NLL/perplexity", i, run.Depth, run.Arm, run.Seed)
		case len(run.Curve) == 0:
			return fmt.Errorf("run %d (%s %s seed %d): empty validation history", i, run.Depth, run.Arm, run.Seed)
		case len(run.Spectra) != d.NLayer || len(run.Skip) != d.NLayer:
			return fmt.Errorf("run %d (%s %s seed %d): %d spectra and %d skip statistics for %d layers", i, run.Depth, run.Arm, run.Seed,
				len(run.Spectra), len(run.Skip), d.NLayer)
		case run.Params <= 0 || run.Tokens <= 0:
			return fmt.Errorf("run %d (%s %s seed %d): %d parameters, %d tokens", i, run.Depth, run.Arm, run.Seed, run.Params, run.Tokens)
		}
		for _, p := range run.Curve {
			if !finite(p.Valid.Perplexity) {
				return fmt.Errorf("run %d (%s %s seed %d): validation perplexity %v at step %d", i, run.Depth, run.Arm, run.Seed, p.Valid.Perplexity, p.Step)
			}
		}
	}
	return nil
}

// LoadOrRun returns the cached result of spec when ROOT/.cache/experiments/
// holds a valid one under the current key, and says so on log; otherwise
// (no file, another key, or an invalid file, which it reports) it runs the
// experiment, stores the result atomically and returns it. cached reports
// which happened.
func LoadOrRun(ctx context.Context, spec Spec, root string, progress func(done, total int), log io.Writer) (res *Result, cached bool, err error) {
	if err := spec.Validate(); err != nil {
		return nil, false, err
	}
	if log == nil {
		log = io.Discard
	}
	key, numerics, err := spec.Key(ctx)
	if err != nil {
		return nil, false, err
	}
	path := experiment.CachePath(root, spec.Name, key)
	rel, _ := filepath.Rel(root, path)
	var r Result
	ok, err := experiment.LoadCache(path, &r, func() error {
		if r.Key != key {
			return fmt.Errorf("key %.16s, want %.16s", r.Key, key)
		}
		return r.Validate(spec)
	})
	switch {
	case ok:
		fmt.Fprintf(log, "experiment %s: reusing %s (same configuration, data and numerics fingerprint %.12s)\n", spec.Name, rel, numerics)
		return &r, true, nil
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
	res, err = Run(ctx, spec, corpus, progress, log)
	if err != nil {
		return nil, false, err
	}
	res.Key, res.Numerics = key, numerics
	if err := experiment.StoreCache(path, res); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment %s: stored %s (%.0f s of wall time, %.0f s of CPU time)\n", spec.Name, rel, res.Seconds, res.CPUSeconds)
	return res, false, nil
}
