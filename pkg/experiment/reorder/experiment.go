package reorder

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Result is the outcome of the experiment, as cached.
type Result struct {
	Spec     Spec   `json:"spec"`
	Key      string `json:"key"`      // cache key hash ("" when run without the cache)
	Numerics string `json:"numerics"` // the numerics fingerprint of the key ("" without the cache)
	Data     string `json:"data_digest"`
	Source   string `json:"source"`
	// TrainImages and TestImages are the subset sizes, out of FullTrain
	// and FullTest.
	TrainImages int    `json:"train_images"`
	TestImages  int    `json:"test_images"`
	FullTrain   int    `json:"full_train"`
	FullTest    int    `json:"full_test"`
	Features    []int  `json:"features"` // F per patch size, in Spec.Patches order
	Go          string `json:"go"`
	Threads     int    `json:"threads"`
	// Seconds is the wall time of all runs (machine and load dependent).
	Seconds float64 `json:"seconds"`
	// Runs are Patches × Arms × Seeds, in that nesting order.
	Runs []Record `json:"runs"`
	// Reduced marks a result whose runs have no Importance records
	// (Reduce, DecodeReduced); Load and Decode refuse it.
	Reduced bool `json:"reduced,omitempty"`
}

// Hooks are optional callbacks of Run, never called concurrently.
type Hooks struct {
	OnStep func(done, total int) // optimizer updates done and in total over all runs
	OnRun  func(Record)          // a run finished
}

// job is one (patch, arm, seed) in Result.Runs order.
type job struct {
	patch int
	arm   Arm
	seed  uint64
}

func (s Spec) jobs() []job {
	var js []job
	for _, p := range s.Patches {
		for _, a := range s.Arms {
			for _, sd := range s.Seeds {
				js = append(js, job{p, a, sd})
			}
		}
	}
	return js
}

// Run trains every (patch, arm, seed) of spec on d, spec.Threads runs at a
// time (0: GOMAXPROCS), each with its own model: the result does not depend
// on the thread count.
func Run(ctx context.Context, spec Spec, d *Data, h Hooks) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	for _, p := range spec.Patches {
		if _, ok := d.Tokens[p]; !ok {
			return nil, fmt.Errorf("reorder: the data have no tokens of patch size %d", p)
		}
	}
	start := time.Now()
	threads := spec.Threads
	if threads == 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	jobs := spec.jobs()
	par := min(threads, len(jobs))
	workers := max(1, threads/par)
	spe := (d.Train.N + spec.Batch - 1) / spec.Batch
	total := len(jobs) * spec.Epochs * spe
	var mu sync.Mutex
	done := 0
	runs, err := parallel.Map(ctx, len(jobs), par, func() struct{} { return struct{}{} }, func(ctx context.Context, _ struct{}, i int) (Record, error) {
		j := jobs[i]
		return runJob(ctx, d, d.Tokens[j.patch], spec, j.arm, j.seed, workers, func() {
			if h.OnStep == nil {
				return
			}
			mu.Lock()
			done++
			h.OnStep(done, total)
			mu.Unlock()
		})
	}, func(_ int, r Record, _ int) {
		if h.OnRun != nil {
			h.OnRun(r)
		}
	})
	if err != nil {
		return nil, err
	}
	r := &Result{
		Spec: spec, Data: d.Digest, Source: d.Source,
		TrainImages: d.Train.N, TestImages: d.Test.N, FullTrain: d.FullTrain, FullTest: d.FullTest,
		Go:      fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Threads: threads, Seconds: time.Since(start).Seconds(), Runs: runs,
	}
	for _, p := range spec.Patches {
		r.Features = append(r.Features, d.Tokens[p].F)
	}
	return r, nil
}

// weightsHash is the fingerprint of the weights' exact bits.
func weightsHash(ps []*model.Param[float32]) string {
	var all []float64
	for _, p := range ps {
		for _, v := range p.W {
			all = append(all, float64(v))
		}
	}
	return experiment.Fingerprint(all)
}
