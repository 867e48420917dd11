package figures

import (
	"context"
	"fmt"
	"io"

	"github.com/tokendyn/tokendyn/internal/repo"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// Experiments supplies the experiments' results to the artifacts that draw
// them. This package never trains: by default (Stored) it reads the result
// the runner stored for the specification, and fails when there is none.
// The command `tokendyn figures` passes a source that runs a missing
// experiment first (pkg/experiment/runner), as `tokendyn experiment NAME`
// does. step reports training progress; log says what happened.
type Experiments interface {
	LM(ctx context.Context, spec lm.Spec, step func(done, total int), log io.Writer) (*lm.Result, error)
	Reorder(ctx context.Context, spec reorder.Spec, step func(done, total int), log io.Writer) (*reorder.Result, error)
	// RepoRoot is the repository root under which the results are read
	// and stored (experiment.CachePath, experiment.CurrentPath). The
	// sidecars' provenance records the code digest of this tree and the
	// result files relative to it; an error means there is no checkout.
	RepoRoot() (string, error)
}

// Stored is the Experiments source that only reads the results the runner
// stored under the repository root Root (lm.Load, reorder.Load); "" means
// the module root above the working directory.
type Stored struct{ Root string }

// RepoRoot is s.Root or the module root.
func (s Stored) RepoRoot() (string, error) {
	if s.Root != "" {
		return s.Root, nil
	}
	return repo.ModuleRoot(".")
}

// LM returns the stored result of spec.
func (s Stored) LM(_ context.Context, spec lm.Spec, _ func(int, int), log io.Writer) (*lm.Result, error) {
	root, err := s.RepoRoot()
	if err != nil {
		return nil, err
	}
	r, err := lm.Load(root, spec)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("no stored result of experiment %s for this specification under %s: run `tokendyn experiment lm` (make figures does)", spec.Name, root)
	}
	fmt.Fprintf(log, "experiment %s: reading the stored result (key %.16s)\n", spec.Name, r.Key)
	return r, nil
}

// Reorder returns the stored result of spec.
func (s Stored) Reorder(_ context.Context, spec reorder.Spec, _ func(int, int), log io.Writer) (*reorder.Result, error) {
	root, err := s.RepoRoot()
	if err != nil {
		return nil, err
	}
	r, err := reorder.Load(root, spec)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("no stored result of experiment reorder for this specification under %s: run `tokendyn experiment reorder` (make figures does)", root)
	}
	fmt.Fprintf(log, "experiment reorder: reading the stored result (key %.16s)\n", r.Key)
	return r, nil
}

// experimentSource is env's source of experiment results: Stored (read
// only) when none was given.
func (env Env) experimentSource() Experiments {
	if env.source == nil {
		return Stored{}
	}
	return env.source
}
