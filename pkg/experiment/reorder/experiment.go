package reorder

import "github.com/tokendyn/tokendyn/pkg/experiment"

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
	// Linear is the linear reference on the same tokens (softmax
	// regression, runner.LinearBaseline), one per patch size in
	// Spec.Patches order; absent from designs that predate it.
	Linear []LinearRef `json:"linear,omitempty"`
	// Prereg is the pre-registration that decides the result (LoadPrereg;
	// nil: the design has none). Read from the repository, never stored.
	Prereg *experiment.Prereg `json:"-"`
}

// LinearRef is the test accuracy of the linear reference at one patch
// size, trained with the first seed of the specification.
type LinearRef struct {
	Patch   int     `json:"patch"`
	Seed    uint64  `json:"seed"`
	TestAcc float64 `json:"test_acc"`
}

// Job is one (patch, arm, seed) in Result.Runs order.
type Job struct {
	Patch int
	Arm   Arm
	Seed  uint64
}

// Jobs lists the runs in Result.Runs order: patch, arm, seed.
func (s Spec) Jobs() []Job {
	var js []Job
	for _, p := range s.Patches {
		for _, a := range s.Arms {
			for _, sd := range s.Seeds {
				js = append(js, Job{p, a, sd})
			}
		}
	}
	return js
}
