package reorder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// CacheName is the file-name stem of the cache entries:
// ROOT/.cache/experiments/reorder-<hash[:16]>.json.
const CacheName = "reorder"

// Numerics is the numerics fingerprint of spec's code path: the hash of
// every number (training losses, test losses and accuracies, row maxima,
// final weights) of a short deterministic run of runJob with spec's model
// and optimizer, every arm and patch size, one seed, one epoch of batch 4
// on 16 synthetic 28×28 images. It changes with any edit that changes a
// number of the experiment and with none that does not.
func Numerics(spec Spec) (string, error) {
	s := spec
	s.Epochs, s.Batch, s.Probe, s.EvalBatch = 1, 4, 2, 8
	d, err := NewData(syntheticSet(16, 1), syntheticSet(8, 2), 2, s, "synthetic")
	if err != nil {
		return "", err
	}
	var series [][]float64
	for _, p := range s.Patches {
		for _, a := range s.Arms {
			r, err := runJob(context.Background(), d, d.Tokens[p], s, a, 1, 1, nil)
			if err != nil {
				return "", fmt.Errorf("reorder: numerics fingerprint: %w", err)
			}
			var xs []float64
			for _, e := range r.Epochs {
				xs = append(xs, e.TrainLoss, e.TestLoss, e.TestAcc, e.RowMax)
			}
			w := make([]float64, len(r.Weights))
			for i := range len(r.Weights) {
				w[i] = float64(r.Weights[i])
			}
			series = append(series, xs, w) // the final weights' hash, a character at a time
		}
	}
	return experiment.Fingerprint(series...), nil
}

// syntheticSet is n 28×28 images of 2 classes: class c has a bright
// 4×4 block at patch 4c+1 on deterministic noise.
func syntheticSet(n int, seed uint64) *vision.Set {
	s := &vision.Set{N: n, H: 28, W: 28, Images: make([]float32, n*784), Labels: make([]uint8, n)}
	x := seed*0x9e3779b97f4a7c15 + 1
	for i := 0; i < n; i++ {
		c := i % 2
		s.Labels[i] = uint8(c)
		img := s.Images[i*784 : (i+1)*784]
		for k := range img {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			img[k] = float32(x>>40) / float32(1<<24) * 0.25
		}
		r0, c0 := 4*((4*c+1)/7), 4*((4*c+1)%7)
		for y := 0; y < 4; y++ {
			for xx := 0; xx < 4; xx++ {
				img[(r0+y)*28+c0+xx] = 1
			}
		}
	}
	return s
}

// Key is the cache key of spec on the data of digest.
func Key(spec Spec, digest string) (experiment.Key, error) {
	if err := spec.Validate(); err != nil {
		return experiment.Key{}, err
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return experiment.Key{}, fmt.Errorf("reorder: key: %w", err)
	}
	num, err := Numerics(spec)
	if err != nil {
		return experiment.Key{}, err
	}
	return experiment.Key{Spec: b, Data: digest, Numerics: num}, nil
}

// Load returns the cached result of spec under root when there is a valid
// one for the current key. A missing entry gives (nil, nil); an invalid one
// an error "cache FILE is invalid: …" that the caller prints before
// recomputing.
func Load(root string, spec Spec) (*Result, error) {
	digest, err := FashionDigest(spec.DataDir)
	if err != nil {
		return nil, err
	}
	key, err := Key(spec, digest)
	if err != nil {
		return nil, err
	}
	return readCache(experiment.CachePath(root, CacheName, key.Hash()), spec, key.Hash())
}

// readCache reads and validates the entry at path for spec and hash.
func readCache(path string, spec Spec, hash string) (*Result, error) {
	var r Result
	ok, err := experiment.LoadCache(path, &r, func() error { return r.validate(spec, hash) })
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

// LoadOrRun returns the cached result of spec under root, or loads the
// data, runs the experiment, stores the result and returns it; cached says
// which. What happens is said on log (may be nil).
func LoadOrRun(ctx context.Context, root string, spec Spec, h Hooks, log io.Writer) (res *Result, cached bool, err error) {
	if log == nil {
		log = io.Discard
	}
	digest, err := FashionDigest(spec.DataDir)
	if err != nil {
		return nil, false, err
	}
	key, err := Key(spec, digest)
	if err != nil {
		return nil, false, err
	}
	hash := key.Hash()
	path := experiment.CachePath(root, CacheName, hash)
	rel, _ := filepath.Rel(root, path)
	r, err := readCache(path, spec, hash)
	if err != nil {
		fmt.Fprintf(log, "experiment reorder: %v; recomputing\n", err)
	}
	if r != nil {
		fmt.Fprintf(log, "experiment reorder: reusing the cached result %s (key %s: same specification, data and numerics)\n", rel, hash[:16])
		return r, true, nil
	}
	fmt.Fprintf(log, "experiment reorder: no cached result for key %s: running %d patch sizes × %d arms × %d seeds\n",
		hash[:16], len(spec.Patches), len(spec.Arms), len(spec.Seeds))
	d, err := LoadData(spec)
	if err != nil {
		return nil, false, err
	}
	if d.Digest != digest {
		return nil, false, fmt.Errorf("reorder: the data files changed while the experiment started")
	}
	if r, err = Run(ctx, spec, d, h); err != nil {
		return nil, false, err
	}
	r.Key, r.Numerics = hash, key.Numerics
	if err := Store(root, r); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment reorder: stored %s (%.0f s)\n", rel, r.Seconds)
	return r, false, nil
}

// validate checks a loaded result field by field against spec and hash.
func (r *Result) validate(spec Spec, hash string) error {
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
	return r.check()
}

// check validates the result against its own Spec: the runs' count, order
// (patch, arm, seed), epochs, finite numbers in range and the importance
// records (none in a reduced result). Everything Summary, Verdict and the
// figures read is checked.
func (r *Result) check() error {
	s := r.Spec
	if err := s.Validate(); err != nil {
		return err
	}
	jobs := s.jobs()
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
			return fmt.Errorf("run %d (%s, patch %d, seed %d): %w", i, j.arm.Name, j.patch, j.seed, err)
		}
	}
	return nil
}

func (run *Record) check(j job, s Spec, reduced bool) error {
	switch {
	case run.Patch != j.patch || run.Arm != j.arm.Name || run.Seed != j.seed:
		return fmt.Errorf("is (%s, patch %d, seed %d)", run.Arm, run.Patch, run.Seed)
	case run.L != (28/j.patch)*(28/j.patch):
		return fmt.Errorf("%d tokens, want %d", run.L, (28/j.patch)*(28/j.patch))
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
		case !j.arm.Reorder && e.RowMax != 0:
			return fmt.Errorf("epoch %d: baseline with row max %v", k+1, e.RowMax)
		case j.arm.Reorder && !(e.RowMax >= lo && e.RowMax <= 1+1e-6):
			return fmt.Errorf("epoch %d: row max %v outside [1/L, 1]", k+1, e.RowMax)
		}
	}
	if last := run.Epochs[len(run.Epochs)-1]; last.TestAcc != run.TestAcc || last.TestLoss != run.TestLoss {
		return fmt.Errorf("final accuracy and loss differ from the last epoch's")
	}
	if !j.arm.Reorder || reduced {
		if run.Importance != nil {
			return fmt.Errorf("importance scores in a baseline run or a reduced result")
		}
		return nil
	}
	return run.Importance.check(run.L, j.patch, s.ReorderLayer)
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
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("reorder: result: %w", err)
	}
	return &r, nil
}
