package runner

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
)

// LMReplay accepts a committed result whose replayed seeds the code
// reproduces bit for bit, installs it as the specification's stored result,
// and refuses one whose replayed numbers differ in the last bit or whose key
// is not the current one. It needs Debian's dict-gcide.
func TestLMReplay(t *testing.T) {
	spec := smallGCIDESpec(t)
	ctx := context.Background()
	full, _, err := LM(ctx, t.TempDir(), spec, Hooks{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join(t.TempDir(), "lm.json")
	if err := experiment.StoreCache(committed, full); err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	var log bytes.Buffer
	r, err := LMReplay(ctx, root, spec, committed, 1, Hooks{}, &log)
	if err != nil {
		t.Fatalf("replay of an honest result: %v", err)
	}
	if !strings.Contains(log.String(), "replayed 2 of 4 runs") {
		t.Errorf("log does not say what was replayed:\n%s", log.String())
	}
	if r.Key != full.Key || r.Runs[3].Test.NLL != full.Runs[3].Test.NLL {
		t.Fatalf("replay returned another result")
	}
	if s, err := lm.Load(root, spec); err != nil || s == nil || s.Key != full.Key {
		t.Fatalf("after the replay lm.Load finds %v, %v; want the committed result", s, err)
	}

	// One run retrained alone agrees with the committed one too.
	log.Reset()
	if err := LMReplayJob(ctx, spec, committed, 3, &log); err != nil || !strings.Contains(log.String(), "run 4 of 4 ("+spec.JobName(spec.Jobs()[3])+")") {
		t.Fatalf("LMReplayJob of an honest result: %v; log %q", err, log.String())
	}
	if k := PickJob(spec, "0d83137"); k < 0 || k >= 4 || k != PickJob(spec, "0d83137") {
		t.Fatalf("PickJob = %d, want a fixed index in [0, 4)", k)
	}

	// One replayed number one ulp off: refused, naming the run.
	var c lm.Result
	if _, err := experiment.LoadCache(committed, &c, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	bad := c
	bad.Runs = append([]lm.RunResult(nil), c.Runs...)
	bad.Runs[0].Test.Perplexity = math.Nextafter(bad.Runs[0].Test.Perplexity, 2*bad.Runs[0].Test.Perplexity)
	tampered := filepath.Join(t.TempDir(), "lm.json")
	if err := experiment.StoreCache(tampered, &bad); err != nil {
		t.Fatal(err)
	}
	if _, err := LMReplay(ctx, t.TempDir(), spec, tampered, 1, Hooks{}, nil); err == nil || !strings.Contains(err.Error(), "seed 1 differs") {
		t.Fatalf("a committed number one ulp off: %v, want a refusal naming seed 1", err)
	}
	if err := LMReplayJob(ctx, spec, tampered, 0, nil); err == nil || !strings.Contains(err.Error(), "seed 1 differs") {
		t.Fatalf("LMReplayJob of a committed number one ulp off: %v, want a refusal naming seed 1", err)
	}

	// Another key (the committed numbers were made by other code): refused.
	bad = c
	bad.Key = strings.Repeat("0", len(c.Key))
	if err := experiment.StoreCache(tampered, &bad); err != nil {
		t.Fatal(err)
	}
	if _, err := LMReplay(ctx, t.TempDir(), spec, tampered, 1, Hooks{}, nil); err == nil || !strings.Contains(err.Error(), "not this code's") {
		t.Fatalf("a committed result of another key: %v, want a refusal", err)
	}
	if _, err := LMReplay(ctx, t.TempDir(), spec, filepath.Join(t.TempDir(), "none.json"), 1, Hooks{}, nil); err == nil {
		t.Fatal("no committed file: want an error")
	}
	_ = os.Remove(tampered)
}
