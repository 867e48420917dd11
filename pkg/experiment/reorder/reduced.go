package reorder

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// A reduced result is a Result without the importance records of its runs
// (the pixels and patch scores of a few test images and one L×L soft
// permutation per reordering run: nearly all the bytes of the stored
// result). Everything else is kept: the specification, the cache key, the
// numerics fingerprint, the data digest and sizes, and for every run its
// final and per-epoch losses, accuracies and soft-permutation row maxima,
// which is everything Summary, Verdict and the table tab-imagenet-scaled
// read. It is small enough to commit: docs/results/reorder.json, from
// which the README's summary of the experiment is computed (pkg/figures
// TestReadmeReorderSummary), is one, written from the stored result of
// `make figures` by
//
//	go test ./pkg/figures -run TestReadmeReorderSummary -update-reorder-result -update-readme
//
// A reduced result is marked (Result.Reduced) and read by DecodeReduced
// only: Load and Decode refuse it, since the figure fig-reorder-importance
// needs the records it lacks.

// Reduce returns a reduced copy of r (r itself is not changed): the same
// result with Reduced set and every run's Importance dropped.
func (r *Result) Reduce() *Result {
	out := *r
	out.Reduced = true
	out.Runs = make([]Record, len(r.Runs))
	for i, run := range r.Runs {
		run.Epochs = append([]Epoch(nil), run.Epochs...)
		run.Importance = nil
		out.Runs[i] = run
	}
	out.Features = append([]int(nil), r.Features...)
	return &out
}

// StoreReduced writes the reduced copy of r (Reduce) to path as indented
// JSON, atomically. r must carry its cache key and numerics fingerprint,
// which identify the code and data that produced it.
func StoreReduced(path string, r *Result) error {
	if len(r.Key) != 64 || len(r.Numerics) != 64 || r.Data == "" {
		return fmt.Errorf("reorder: reduced result: the result has no cache key, numerics fingerprint or data digest")
	}
	red := r.Reduce()
	if err := red.Check(); err != nil {
		return fmt.Errorf("reorder: reduced result: %w", err)
	}
	return experiment.StoreCache(path, red)
}

// DecodeReduced parses a reduced result (the JSON of StoreReduced, strictly:
// no unknown fields, no trailing data) and validates it against its own
// Spec as Decode does, without the importance records; it must carry a
// cache key, a numerics fingerprint and a data digest. Whether the key and
// fingerprint are the ones the current code computes is the caller's check
// (Key).
func DecodeReduced(b []byte) (*Result, error) {
	var r Result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reorder: reduced result: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("reorder: reduced result: trailing data")
	}
	switch {
	case !r.Reduced:
		return nil, fmt.Errorf("reorder: reduced result: not marked reduced (a full result is read by Load or Decode)")
	case len(r.Key) != 64 || len(r.Numerics) != 64 || r.Data == "":
		return nil, fmt.Errorf("reorder: reduced result: no cache key, numerics fingerprint or data digest")
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("reorder: reduced result: %w", err)
	}
	return &r, nil
}
