package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// LMReplay stands behind a committed result of spec without training all of
// it: it checks that committed (a file, e.g. docs/results/lm.json) is a
// valid result of spec under the key the current code, data and numerics
// give, retrains the first `seeds` seeds of every depth and arm
// (lm.Replay; through LM, so the replay is cached too) and compares each
// replayed run with the committed one bit for bit (every number and the
// whole validation history; only the wall time may differ). When all agree
// it stores the committed result as spec's own (the cache entry and the
// current pointer that lm.Load reads) and returns it with its
// pre-registration. Any disagreement is an error naming the run.
func LMReplay(ctx context.Context, root string, spec lm.Spec, committed string, seeds int, h Hooks, log io.Writer) (*lm.Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	if seeds < 1 {
		return nil, fmt.Errorf("lm: replay of %s: %d seeds, want at least 1", spec.Name, seeds)
	}
	var c lm.Result
	ok, err := experiment.LoadCache(committed, &c, func() error { return c.Validate(spec) })
	switch {
	case err != nil:
		return nil, fmt.Errorf("lm: replay: committed result: %w", err)
	case !ok:
		return nil, fmt.Errorf("lm: replay: no committed result at %s", committed)
	}
	key, _, err := LMKey(ctx, spec)
	if err != nil {
		return nil, err
	}
	if c.Key != key {
		return nil, fmt.Errorf("lm: replay: %s has key %.16s, but this code and data give %.16s: "+
			"its numbers are not this code's (make figures EXPERIMENTS=full retrains it)", committed, c.Key, key)
	}
	rs := lm.Replay(spec, seeds)
	replayed, _, err := LM(ctx, root, rs, h, log)
	if err != nil {
		return nil, err
	}
	for _, run := range replayed.Runs {
		if err := sameRun(run, c.Runs); err != nil {
			return nil, fmt.Errorf("lm: replay of %s against %s: %w", spec.Name, committed, err)
		}
	}
	path := experiment.CachePath(root, spec.Name, key)
	if err := experiment.StoreCache(path, &c); err != nil {
		return nil, err
	}
	specJSON, err := spec.SpecJSON()
	if err != nil {
		return nil, err
	}
	if err := experiment.WriteCurrent(root, spec.Name, specJSON, key); err != nil {
		return nil, err
	}
	c.Spec.Prereg = spec.Prereg
	if err := c.LoadPrereg(root); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "experiment %s: replayed %d of %d runs (seeds %v): every number equal to %s bit for bit; drawing from it\n",
		spec.Name, len(replayed.Runs), len(c.Runs), rs.Seeds, committed)
	return &c, nil
}

// sameRun finds the run of runs with run's depth, arm and seed and compares
// the two as JSON with the wall time left out.
func sameRun(run lm.RunResult, runs []lm.RunResult) error {
	for _, c := range runs {
		if c.Depth != run.Depth || c.Arm != run.Arm || c.Seed != run.Seed {
			continue
		}
		ja, err := json.Marshal(withoutWallTime(run))
		if err != nil {
			return err
		}
		jb, err := json.Marshal(withoutWallTime(c))
		if err != nil {
			return err
		}
		if !bytes.Equal(ja, jb) {
			what := fmt.Sprintf("test ppl %v replayed, %v committed", run.Test.Perplexity, c.Test.Perplexity)
			if run.Test == c.Test {
				what = "another recorded number (validation history, spectra or skip statistics)"
			}
			return fmt.Errorf("run %s %s seed %d differs: %s", run.Depth, run.Arm, run.Seed, what)
		}
		return nil
	}
	return fmt.Errorf("run %s %s seed %d is not in the committed result", run.Depth, run.Arm, run.Seed)
}

// withoutWallTime is r with its wall times (the run's and each validation
// point's) set to 0: the only numbers of a run that are not deterministic.
func withoutWallTime(r lm.RunResult) lm.RunResult {
	r.Seconds = 0
	r.Curve = append([]lmrun.Point(nil), r.Curve...)
	for i := range r.Curve {
		r.Curve[i].Seconds = 0
	}
	return r
}

// LMReplayJob retrains job k of spec (in Jobs' order) at its full
// configuration and compares it bit for bit with the same run in the
// committed result (a file such as docs/results/lm.json), which must be a
// valid result of spec under the current key. It neither reads nor writes
// the cache; log gets one line naming the run and the outcome.
func LMReplayJob(ctx context.Context, spec lm.Spec, committed string, k int, log io.Writer) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	jobs := spec.Jobs()
	if k < 0 || k >= len(jobs) {
		return fmt.Errorf("lm: replay of %s: job %d outside [0, %d)", spec.Name, k, len(jobs))
	}
	var c lm.Result
	ok, err := experiment.LoadCache(committed, &c, func() error { return c.Validate(spec) })
	switch {
	case err != nil:
		return fmt.Errorf("lm: replay: committed result: %w", err)
	case !ok:
		return fmt.Errorf("lm: replay: no committed result at %s", committed)
	}
	key, _, err := LMKey(ctx, spec)
	if err != nil {
		return err
	}
	if c.Key != key {
		return fmt.Errorf("lm: replay: %s has key %.16s, but this code and data give %.16s: "+
			"its numbers are not this code's (make figures EXPERIMENTS=full retrains it)", committed, c.Key, key)
	}
	one := spec
	j := jobs[k]
	one.Depths, one.Arms, one.Seeds = []lm.Depth{spec.Depths[j.Depth]}, []lm.Arm{spec.Arms[j.Arm]}, []uint64{j.Seed}
	corpus, err := lmrun.LoadCorpus(spec.Base.Data)
	if err != nil {
		return err
	}
	r, err := RunLM(ctx, one, corpus, Hooks{}, nil)
	if err != nil {
		return err
	}
	if err := sameRun(r.Runs[0], c.Runs); err != nil {
		return fmt.Errorf("lm: replay of %s against %s: %w", spec.Name, committed, err)
	}
	if log != nil {
		fmt.Fprintf(log, "experiment %s: replayed run %d of %d (%s) at its full configuration in %.0f s: every number equal to %s bit for bit\n",
			spec.Name, k+1, len(jobs), spec.JobName(j), r.Seconds, committed)
	}
	return nil
}
