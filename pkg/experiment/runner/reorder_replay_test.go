package runner

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// A run's record, importance records included, does not depend on how
// many workers train it: the replay trains one run on all of them, the
// full experiment (RunReorder on 2 cores) each run on one. Every arm, on
// the tiny specification and on reorder.Default's model and optimizer
// (d_model 64, batch 16, 49 tokens) for a few updates of synthetic images.
func TestReorderRunDoesNotDependOnWorkers(t *testing.T) {
	small := reorder.Default()
	small.Epochs, small.EvalBatch, small.Probe = 2, 16, 4
	for name, s := range map[string]reorder.Spec{"tiny": tinyReorderSpec(), "default model": small} {
		d, err := reorder.NewData(syntheticSet(40, 5), syntheticSet(20, 6), 2, s, "")
		if err != nil {
			t.Fatal(err)
		}
		p := s.Patches[len(s.Patches)-1]
		for _, a := range s.Arms {
			var want reorder.Record
			for _, workers := range []int{1, 2, 3} {
				got, err := runJob(context.Background(), d, d.Tokens[p], s, a, 11, workers, nil)
				if err != nil {
					t.Fatal(err)
				}
				if workers == 1 {
					want = got
					continue
				}
				if f, x, y, ok := firstDifference(reflect.ValueOf(got), reflect.ValueOf(want), "", false); ok {
					t.Errorf("%s, %s: %d workers give %s = %s, 1 worker %s", name, a.Name, workers, f, x, y)
				}
			}
			if a.Reorder && want.Importance == nil {
				t.Errorf("%s, %s: no importance records to compare", name, a.Name)
			}
		}
	}
}

// replayFixture is a result of the tiny specification on synthetic data
// under the key the code gives, with the data.
func replayFixture(t *testing.T) (reorder.Spec, *reorder.Data, *reorder.Result) {
	t.Helper()
	s := tinyReorderSpec()
	d, err := reorder.NewData(syntheticSet(48, 3), syntheticSet(24, 4), 2, s, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunReorder(context.Background(), s, d, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	key, err := ReorderKey(context.Background(), s, d.Digest)
	if err != nil {
		t.Fatal(err)
	}
	r.Key, r.Numerics = key.Hash(), key.Numerics
	return s, d, r
}

// The replay of one run accepts an honest committed result, reduced (as
// docs/results/reorder.json) or full, and refuses one with a single number
// one ulp off, naming the run and the field, one of another key, one of
// another specification, and a missing file (before loading any data).
func TestReorderReplayJob(t *testing.T) {
	spec, d, r := replayFixture(t)
	ctx := context.Background()
	spec.Threads = 3 // the committed runs trained on one worker each
	loads := 0
	load := func() (*reorder.Data, error) { loads++; return d, nil }
	dir := t.TempDir()
	reduced := filepath.Join(dir, "reorder.json")
	if err := reorder.StoreReduced(reduced, r); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full.json")
	if err := experiment.StoreCache(full, r); err != nil {
		t.Fatal(err)
	}
	jobs := spec.Jobs()
	runName := func(k int) string {
		return fmt.Sprintf("run %d of %d (%s, %d tokens, seed %d)", k+1, len(jobs), r.Runs[k].Arm, r.Runs[k].L, r.Runs[k].Seed)
	}

	k := PickReorderJob(spec, "0d83137")
	if k < 0 || k >= len(jobs) || k != Pick("0d83137", len(jobs)) {
		t.Fatalf("PickReorderJob = %d, want Pick's index in [0, %d)", k, len(jobs))
	}
	var log bytes.Buffer
	if err := replayReorderJob(ctx, spec, load, reduced, k, &log); err != nil {
		t.Fatalf("replay of an honest reduced result: %v", err)
	}
	if want := "experiment reorder: replayed " + runName(k) + " at its full configuration in "; !strings.HasPrefix(log.String(), want) ||
		!strings.HasSuffix(log.String(), "every number equal to "+reduced+" bit for bit\n") {
		t.Errorf("log %q, want %q…", log.String(), want)
	}
	hard := 2*len(spec.Seeds) + 1 // patch 7, the hard arm, seed 2: a run with importance records
	if err := replayReorderJob(ctx, spec, load, full, hard, nil); err != nil {
		t.Fatalf("replay of an honest full result (importance records compared): %v", err)
	}

	// One number one ulp off in the replayed run: refused, naming the run
	// and the field. (A number of another run is not looked at.)
	for _, tc := range []struct {
		field  string
		tamper func(*reorder.Record)
	}{
		{"epochs[0].test_loss", func(run *reorder.Record) {
			run.Epochs[0].TestLoss = math.Nextafter(run.Epochs[0].TestLoss, 1)
		}},
		{"epochs[1].lr", func(run *reorder.Record) {
			run.Epochs[1].LR = math.Nextafter(run.Epochs[1].LR, 1)
		}},
		{"epochs[0].row_max", func(run *reorder.Record) {
			run.Epochs[0].RowMax = math.Nextafter(run.Epochs[0].RowMax, 0)
		}},
		{"weights", func(run *reorder.Record) { run.Weights = strings.Repeat("0", len(run.Weights)) }},
	} {
		bad := *r
		bad.Runs = append([]reorder.Record(nil), r.Runs...)
		run := &bad.Runs[hard]
		run.Epochs = append([]reorder.Epoch(nil), run.Epochs...)
		tc.tamper(run)
		tampered := filepath.Join(t.TempDir(), "reorder.json")
		if err := reorder.StoreReduced(tampered, &bad); err != nil {
			t.Fatal(err)
		}
		err := replayReorderJob(ctx, spec, load, tampered, hard, nil)
		t.Logf("%s tampered: %v", tc.field, err)
		if err == nil || !strings.Contains(err.Error(), runName(hard)) || !strings.Contains(err.Error(), tc.field+" is ") {
			t.Errorf("%s off: %v, want a refusal naming %s and %s", tc.field, err, runName(hard), tc.field)
		}
		if err := replayReorderJob(ctx, spec, load, tampered, hard-1, nil); err != nil {
			t.Errorf("%s of run %d off, run %d replayed: %v", tc.field, hard+1, hard, err)
		}
	}

	// Another key (numbers of other code), another specification, no file.
	bad := *r
	bad.Key = strings.Repeat("0", len(r.Key))
	other := filepath.Join(t.TempDir(), "reorder.json")
	if err := reorder.StoreReduced(other, &bad); err != nil {
		t.Fatal(err)
	}
	if err := replayReorderJob(ctx, spec, load, other, k, nil); err == nil || !strings.Contains(err.Error(), "not this code's") {
		t.Errorf("a committed result of another key: %v, want a refusal", err)
	}
	lr := spec
	lr.LR *= 2
	if err := replayReorderJob(ctx, lr, load, reduced, k, nil); err == nil || !strings.Contains(err.Error(), "another specification") {
		t.Errorf("a committed result of another specification: %v, want a refusal", err)
	}
	before := loads
	if err := replayReorderJob(ctx, spec, load, filepath.Join(t.TempDir(), "none.json"), k, nil); err == nil || !strings.Contains(err.Error(), "no committed result") {
		t.Errorf("no committed file: %v, want an error saying so", err)
	}
	if err := replayReorderJob(ctx, spec, load, reduced, len(jobs), nil); err == nil {
		t.Error("job outside the design: want an error")
	}
	if loads != before {
		t.Error("the data were loaded for a replay refused before training")
	}
}
