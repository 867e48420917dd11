package train

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/parallel"
)

// ReorderCacheName is the file-name stem of the experiment's cache entries:
// ROOT/.cache/experiments/reorder-<key[:16]>.json.
const ReorderCacheName = "reorder"

// ReorderResult is the outcome of the reordering experiment, as cached.
type ReorderResult struct {
	Config ReorderConfig `json:"config"`
	Key    string        `json:"key"`          // cache key hash ("" when run without the cache)
	Code   string        `json:"code_version"` // CodeVersion of the sources ("" without the cache)
	Data   string        `json:"data_digest"`
	Source string        `json:"source"`
	// TrainImages and TestImages are the subset sizes, out of FullTrain
	// and FullTest images.
	TrainImages int    `json:"train_images"`
	TestImages  int    `json:"test_images"`
	FullTrain   int    `json:"full_train"`
	FullTest    int    `json:"full_test"`
	Tokens      [2]int `json:"tokens"` // (L, F)
	Go          string `json:"go"`
	Threads     int    `json:"threads"`
	// Seconds is the wall time of the whole experiment (all runs, with
	// evaluation); it depends on the machine and its load.
	Seconds float64      `json:"seconds"`
	Runs    []ReorderRun `json:"runs"` // cfg.Arms × cfg.Seeds, arm-major
}

// ReorderHooks are optional callbacks of RunReorder; they are never called
// concurrently.
type ReorderHooks struct {
	// OnStep gets the optimizer updates done and in total over all runs.
	OnStep func(done, total int)
	// OnRun is called when a run finishes.
	OnRun func(ReorderRun)
}

// RunReorder trains every (arm, seed) of cfg on data: cfg.Threads runs at a
// time (0: GOMAXPROCS), each on its own goroutine with its own model, so
// the runs, and therefore the result, do not depend on the thread count.
func RunReorder(ctx context.Context, data *ReorderData, cfg ReorderConfig, h ReorderHooks) (*ReorderResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	threads := cfg.Threads
	if threads == 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	type job struct {
		arm  string
		seed uint64
	}
	var jobs []job
	for _, a := range cfg.Arms {
		for _, s := range cfg.Seeds {
			jobs = append(jobs, job{a, s})
		}
	}
	par := min(threads, len(jobs))
	// Spare threads go to the scans of the running jobs.
	workers := max(1, threads/par)
	total := len(jobs) * cfg.Epochs * stepsPerEpoch(data.Train.N, cfg.Batch)
	var mu sync.Mutex // OnStep is called from several jobs at once
	done := 0
	runs, err := parallel.Map(ctx, len(jobs), par, func() struct{} { return struct{}{} }, func(ctx context.Context, _ struct{}, i int) (ReorderRun, error) {
		return RunReorderJob(ctx, data, cfg, jobs[i].arm, jobs[i].seed, workers, func() {
			if h.OnStep == nil {
				return
			}
			mu.Lock()
			done++
			h.OnStep(done, total)
			mu.Unlock()
		})
	}, func(_ int, r ReorderRun, _ int) {
		if h.OnRun != nil {
			h.OnRun(r)
		}
	})
	if err != nil {
		return nil, err
	}
	return &ReorderResult{
		Config: cfg, Data: data.Digest, Source: data.Source,
		TrainImages: data.Train.N, TestImages: data.Test.N, FullTrain: data.FullTrain, FullTest: data.FullTest,
		Tokens:  [2]int{data.L, data.F},
		Go:      fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Threads: threads, Seconds: time.Since(start).Seconds(), Runs: runs,
	}, nil
}

// ReorderKey is the cache key of cfg on the data identified by dataDigest,
// for the sources under root: the CodeVersion of CodeDirs (pkg/mamba,
// pkg/train, data), the configuration as JSON (without Threads and
// DataDir, which do not change the result) and the data digest.
func ReorderKey(root string, cfg ReorderConfig, dataDigest string) (CacheKey, error) {
	code, err := CodeVersion(root)
	if err != nil {
		return CacheKey{}, err
	}
	spec, err := json.Marshal(cfg) // Threads and DataDir are json:"-"
	if err != nil {
		return CacheKey{}, fmt.Errorf("train: reorder key: %w", err)
	}
	return CacheKey{Code: code, Spec: spec, Data: dataDigest}, nil
}

// LoadOrRunReorder returns the cached result of cfg when
// ROOT/.cache/experiments/ holds one under the current key, and says so on
// log; otherwise it loads Fashion-MNIST, runs the experiment, stores the
// result atomically, says where, and returns it. cached reports which
// happened. log may be nil.
func LoadOrRunReorder(ctx context.Context, root string, cfg ReorderConfig, h ReorderHooks, log io.Writer) (res *ReorderResult, cached bool, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, false, err
	}
	if log == nil {
		log = io.Discard
	}
	digest, err := FashionDigest(cfg.DataDir)
	if err != nil {
		return nil, false, err
	}
	key, err := ReorderKey(root, cfg, digest)
	if err != nil {
		return nil, false, err
	}
	hash := key.Hash()
	path := CachePath(root, ReorderCacheName, hash)
	rel, _ := filepath.Rel(root, path)
	if r, ok := readReorderCache(path, hash, cfg); ok {
		fmt.Fprintf(log, "experiment reorder: reusing the cached result %s (key %s unchanged: same code, configuration and data)\n", rel, hash[:16])
		return r, true, nil
	}
	fmt.Fprintf(log, "experiment reorder: no cached result for key %s (code, configuration or data changed): running %d arms × %d seeds\n",
		hash[:16], len(cfg.Arms), len(cfg.Seeds))
	data, err := LoadReorderData(cfg)
	if err != nil {
		return nil, false, err
	}
	if data.Digest != digest {
		return nil, false, fmt.Errorf("train: reorder: the data files changed while the experiment started")
	}
	r, err := RunReorder(ctx, data, cfg, h)
	if err != nil {
		return nil, false, err
	}
	r.Key, r.Code = hash, key.Code
	if err := WriteReorderResult(path, r); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment reorder: stored %s (%.0f s)\n", rel, r.Seconds)
	return r, false, nil
}

// readReorderCache reads a cache entry; ok is false when it is missing,
// unreadable or for another key.
func readReorderCache(path, hash string, cfg ReorderConfig) (*ReorderResult, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var r ReorderResult
	if err := json.Unmarshal(b, &r); err != nil || r.Key != hash || len(r.Runs) != len(cfg.Arms)*len(cfg.Seeds) {
		return nil, false
	}
	r.Config.DataDir, r.Config.Threads = cfg.DataDir, cfg.Threads
	return &r, true
}

// WriteReorderResult writes r as indented JSON, atomically, creating the
// directory.
func WriteReorderResult(path string, r *ReorderResult) error {
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("train: reorder result: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("train: reorder result: %w", err)
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}

// ReadReorderResult reads a result written by WriteReorderResult.
func ReadReorderResult(path string) (*ReorderResult, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: reorder result: %w", err)
	}
	var r ReorderResult
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("train: reorder result %s: %w", path, err)
	}
	if len(r.Runs) == 0 {
		return nil, fmt.Errorf("train: reorder result %s: no runs", path)
	}
	return &r, nil
}
