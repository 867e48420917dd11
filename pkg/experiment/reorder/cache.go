package reorder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// CacheName is the file-name stem of the cache entries:
// ROOT/.cache/experiments/reorder-<hash[:16]>.json.
const CacheName = "reorder"

// SpecJSON is the specification as it enters the cache key (DataDir and
// Threads are not part of it).
func (s Spec) SpecJSON() ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("reorder: key: %w", err)
	}
	return b, nil
}

// Load returns the result the runner (pkg/experiment/runner, `tokendyn
// experiment reorder`) last validated or stored for spec under root,
// without training anything: (nil, nil) when it has none, an error naming
// the file when the entry is invalid.
func Load(root string, spec Spec) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	b, err := spec.SpecJSON()
	if err != nil {
		return nil, err
	}
	hash, ok, err := experiment.ReadCurrent(root, CacheName, b)
	if !ok || err != nil {
		return nil, err
	}
	return LoadKeyed(root, spec, hash)
}

// LoadKeyed reads and validates the entry under root for spec with cache
// key hash, with its pre-registration (Result.LoadPrereg) checked against
// it: (nil, nil) when there is none.
func LoadKeyed(root string, spec Spec, hash string) (*Result, error) {
	r, err := readCache(experiment.CachePath(root, CacheName, hash), spec, hash)
	if r == nil || err != nil {
		return r, err
	}
	if err := r.Decided(root, spec.Prereg); err != nil {
		return nil, err
	}
	return r, nil
}

// Decided loads the pre-registration at prereg (relative to root; ""
// none) into r and checks that it decides r: its design, seeds and arms are
// r's and every endpoint has its runs.
func (r *Result) Decided(root, prereg string) error {
	r.Spec.Prereg = prereg
	if err := r.LoadPrereg(root); err != nil {
		return err
	}
	if r.Prereg != nil {
		if _, err := r.Decide(*r.Prereg); err != nil {
			return err
		}
	}
	return nil
}

// readCache reads and validates the entry at path for spec and hash.
func readCache(path string, spec Spec, hash string) (*Result, error) {
	var r Result
	ok, err := experiment.LoadCache(path, &r, func() error { return r.Validate(spec, hash) })
	if !ok || err != nil {
		return nil, err
	}
	r.Spec.DataDir, r.Spec.Threads = spec.DataDir, spec.Threads
	return &r, nil
}

// Store writes r under root at the path of its key (r.Key must be set).
func Store(root string, r *Result) error {
	if len(r.Key) < 16 {
		return fmt.Errorf("reorder: store: the result has no cache key")
	}
	return experiment.StoreCache(experiment.CachePath(root, CacheName, r.Key), r)
}

// Validate checks a loaded result field by field against spec and hash.
func (r *Result) Validate(spec Spec, hash string) error {
	if r.Key != hash {
		return fmt.Errorf("key %.16s, want %.16s", r.Key, hash)
	}
	a, _ := json.Marshal(r.Spec)
	b, _ := json.Marshal(spec)
	if string(a) != string(b) {
		return fmt.Errorf("specification differs from the requested one")
	}
	if r.Reduced {
		return fmt.Errorf("a reduced result (no importance records) is not a cache entry")
	}
	return r.Check()
}

// Check validates the result against its own Spec: the runs' count, order
// (patch, arm, seed), epochs, finite numbers in range and the importance
// records (none in a reduced result). Everything Summary, Verdict and the
// figures read is checked.
func (r *Result) Check() error {
	s := r.Spec
	if err := s.Validate(); err != nil {
		return err
	}
	jobs := s.Jobs()
	if len(r.Runs) != len(jobs) {
		return fmt.Errorf("%d runs, want %d (patches × arms × seeds)", len(r.Runs), len(jobs))
	}
	if len(r.Features) != len(s.Patches) {
		return fmt.Errorf("%d feature counts for %d patch sizes", len(r.Features), len(s.Patches))
	}
	if r.TrainImages < 1 || r.TestImages < 1 || !finite(r.Seconds) || r.Seconds < 0 {
		return fmt.Errorf("train/test images %d/%d, seconds %v", r.TrainImages, r.TestImages, r.Seconds)
	}
	for i, j := range jobs {
		if err := r.Runs[i].check(j, s, r.Reduced); err != nil {
			return fmt.Errorf("run %d (%s, patch %d, seed %d): %w", i, j.Arm.Name, j.Patch, j.Seed, err)
		}
	}
	if len(r.Linear) != 0 && len(r.Linear) != len(s.Patches) {
		return fmt.Errorf("%d linear references for %d patch sizes", len(r.Linear), len(s.Patches))
	}
	for i, l := range r.Linear {
		if l.Patch != s.Patches[i] || l.Seed != s.Seeds[0] || !accOK(l.TestAcc) {
			return fmt.Errorf("linear reference %d: patch %d, seed %d, accuracy %v (want patch %d, seed %d, accuracy in [0, 1])",
				i, l.Patch, l.Seed, l.TestAcc, s.Patches[i], s.Seeds[0])
		}
	}
	return nil
}

func (run *Record) check(j Job, s Spec, reduced bool) error {
	switch {
	case run.Patch != j.Patch || run.Arm != j.Arm.Name || run.Seed != j.Seed:
		return fmt.Errorf("is (%s, patch %d, seed %d)", run.Arm, run.Patch, run.Seed)
	case run.L != (28/j.Patch)*(28/j.Patch):
		return fmt.Errorf("%d tokens, want %d", run.L, (28/j.Patch)*(28/j.Patch))
	case len(run.Epochs) != s.Epochs:
		return fmt.Errorf("%d epochs, want %d", len(run.Epochs), s.Epochs)
	case run.Params < 1 || run.Steps < s.Epochs || !finite(run.Seconds) || run.Seconds < 0:
		return fmt.Errorf("params %d, steps %d, seconds %v", run.Params, run.Steps, run.Seconds)
	case !accOK(run.TestAcc) || !lossOK(run.TestLoss):
		return fmt.Errorf("final test accuracy %v, loss %v", run.TestAcc, run.TestLoss)
	}
	lo := 1/float64(run.L) - 1e-6
	for k, e := range run.Epochs {
		switch {
		case e.Epoch != k+1 || e.Step < 1 || e.Step > run.Steps:
			return fmt.Errorf("epoch record %d is epoch %d at step %d", k, e.Epoch, e.Step)
		case !accOK(e.TestAcc) || !lossOK(e.TestLoss) || !lossOK(e.TrainLoss) || !finite(e.LR) || e.LR < 0 || !finite(e.Seconds):
			return fmt.Errorf("epoch %d: a number is out of range or not finite", k+1)
		case !j.Arm.Reorder && e.RowMax != 0:
			return fmt.Errorf("epoch %d: baseline with row max %v", k+1, e.RowMax)
		case j.Arm.Reorder && !(e.RowMax >= lo && e.RowMax <= 1+1e-6):
			return fmt.Errorf("epoch %d: row max %v outside [1/L, 1]", k+1, e.RowMax)
		}
	}
	if last := run.Epochs[len(run.Epochs)-1]; last.TestAcc != run.TestAcc || last.TestLoss != run.TestLoss {
		return fmt.Errorf("final accuracy and loss differ from the last epoch's")
	}
	if !j.Arm.Reorder || reduced {
		if run.Importance != nil {
			return fmt.Errorf("importance scores in a baseline run or a reduced result")
		}
		return nil
	}
	return run.Importance.check(run.L, j.Patch, s.ReorderLayer)
}

func (imp *Importance) check(L, patch, layer int) error {
	if imp == nil || len(imp.Samples) == 0 || imp.Layer != layer {
		return fmt.Errorf("reordering run without importance samples of layer %d", layer)
	}
	for i, sm := range imp.Samples {
		if sm.H != 28 || sm.W != 28 || len(sm.Pixels) != sm.H*sm.W || len(sm.Scores) != L || sm.H%patch != 0 {
			return fmt.Errorf("importance sample %d: %d×%d image with %d pixels and %d scores", i, sm.H, sm.W, len(sm.Pixels), len(sm.Scores))
		}
		if sm.Label < 0 || sm.Predicted < 0 || sm.TestIndex < 0 {
			return fmt.Errorf("importance sample %d: negative label or index", i)
		}
		for _, v := range sm.Scores {
			if !finite(v) {
				return fmt.Errorf("importance sample %d: score %v", i, v)
			}
		}
		for _, v := range sm.Pixels {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("importance sample %d: pixel %v outside [0, 1]", i, v)
			}
		}
	}
	if len(imp.PHat) != L {
		return fmt.Errorf("soft permutation with %d rows, want %d", len(imp.PHat), L)
	}
	for _, row := range imp.PHat {
		if len(row) != L {
			return fmt.Errorf("soft permutation row of %d entries, want %d", len(row), L)
		}
		for _, v := range row {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("soft permutation entry %v outside [0, 1]", v)
			}
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
func accOK(v float64) bool  { return v >= 0 && v <= 1 }
func lossOK(v float64) bool { return finite(v) && v >= 0 }

// Decode parses a result (the JSON of Store, strictly: no unknown fields,
// no trailing data) and validates it against its own Spec, as Load does
// without the key. For tools and fuzzing of the code that reads results.
func Decode(b []byte) (*Result, error) {
	var r Result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reorder: result: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("reorder: result: trailing data")
	}
	if r.Reduced {
		return nil, fmt.Errorf("reorder: result: a reduced result (no importance records; DecodeReduced reads it)")
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("reorder: result: %w", err)
	}
	return &r, nil
}
