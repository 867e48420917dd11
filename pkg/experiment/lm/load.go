package lm

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// Validate checks a result field by field against spec: one run per job in
// the order of the jobs (depth, seed, arm), finite positive metrics, a
// non-empty validation history, and μ's spectrum and the skip statistics of
// every layer.
func (r *Result) Validate(spec Spec) error {
	jobs := spec.Jobs()
	if len(r.Runs) != len(jobs) {
		return fmt.Errorf("%d runs, want %d (depths × seeds × arms)", len(r.Runs), len(jobs))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v > 0 }
	for i, j := range jobs {
		run := r.Runs[i]
		d, a := spec.Depths[j.Depth], spec.Arms[j.Arm]
		switch {
		case run.Depth != d.Name() || run.Arm != a.Name || run.Seed != j.Seed:
			return fmt.Errorf("run %d is %s %s seed %d, want %s %s seed %d", i, run.Depth, run.Arm, run.Seed, d.Name(), a.Name, j.Seed)
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
		for l, sp := range run.Spectra {
			if len(sp.Real) != len(sp.Imag) {
				return fmt.Errorf("run %d (%s %s seed %d) layer %d: %d real and %d imaginary parts of μ's eigenvalues", i, run.Depth, run.Arm, run.Seed, l, len(sp.Real), len(sp.Imag))
			}
		}
		for _, p := range run.Curve {
			if !finite(p.Valid.Perplexity) {
				return fmt.Errorf("run %d (%s %s seed %d): validation perplexity %v at step %d", i, run.Depth, run.Arm, run.Seed, p.Valid.Perplexity, p.Step)
			}
		}
	}
	return nil
}

// SpecJSON is the specification as it enters the cache key: Parallel and
// Threads are left out (they change no result).
func (s Spec) SpecJSON() ([]byte, error) {
	k := s
	k.Parallel, k.Base.Threads = 0, 0
	b, err := json.Marshal(k)
	if err != nil {
		return nil, fmt.Errorf("lm: experiment key: %w", err)
	}
	return b, nil
}

// LoadKeyed returns the result stored under root for spec with cache key
// hash, with its pre-registration (Result.LoadPrereg): (nil, nil) when there
// is none, an error naming the file when the entry is invalid (another key,
// a result that fails Validate) or the pre-registration does not load.
func LoadKeyed(root string, spec Spec, hash string) (*Result, error) {
	var r Result
	ok, err := experiment.LoadCache(experiment.CachePath(root, spec.Name, hash), &r, func() error {
		if r.Key != hash {
			return fmt.Errorf("key %.16s, want %.16s", r.Key, hash)
		}
		return r.Validate(spec)
	})
	if !ok || err != nil {
		return nil, err
	}
	r.Spec.Prereg = spec.Prereg
	if err := r.LoadPrereg(root); err != nil {
		return nil, err
	}
	return &r, nil
}

// Load returns the result the runner (pkg/experiment/runner, `tokendyn
// experiment lm`) last validated or stored for spec under root, without
// training anything: (nil, nil) when it has none.
func Load(root string, spec Spec) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	b, err := spec.SpecJSON()
	if err != nil {
		return nil, err
	}
	hash, ok, err := experiment.ReadCurrent(root, spec.Name, b)
	if !ok || err != nil {
		return nil, err
	}
	return LoadKeyed(root, spec, hash)
}
