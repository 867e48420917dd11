package lm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Committed is where the committed result of Default lives, relative to
// the repository root: a copy of the runner's stored result, from which the
// README's summary and the claims ledger are computed.
const Committed = "docs/results/lm.json"

// ReadCommitted reads the committed result at rel (relative to root, e.g.
// Committed), checks that it is a valid run of spec (the same
// specification apart from Parallel and Threads) and loads spec's
// pre-registration into it. Whether the current code still computes its
// numbers is the caller's check (its Numerics against
// runner.LMNumerics, or a replay).
func ReadCommitted(root, rel string, spec Spec) (*Result, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("lm: committed result: %w", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("lm: committed result %s: %w", rel, err)
	}
	norm := func(s Spec) (string, error) {
		s.Parallel, s.Base.Threads = 0, 0
		j, err := json.Marshal(s)
		return string(j), err
	}
	a, err1 := norm(r.Spec)
	w, err2 := norm(spec)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("lm: committed result %s: specification: %v %v", rel, err1, err2)
	}
	if a != w {
		return nil, fmt.Errorf("lm: committed result %s is a run of another specification than %s", rel, spec.Name)
	}
	if err := r.Validate(spec); err != nil {
		return nil, fmt.Errorf("lm: committed result %s: %w", rel, err)
	}
	r.Spec.Prereg = spec.Prereg
	if err := r.LoadPrereg(root); err != nil {
		return nil, err
	}
	return &r, nil
}
