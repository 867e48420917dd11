package figures

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// One load per key and memo, whatever the number of callers and their
// concurrency; every caller gets the first load's value or error; a waiter
// gives up with its context; a load that panics leaves an error, not a
// hang; without a memo every call loads.
func TestSharedExperiment(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	env := Env{experiments: newExperimentMemo(&log)}
	var loads atomic.Int32
	release := make(chan struct{})
	load := func(w io.Writer) (*int, error) {
		loads.Add(1)
		<-release
		io.WriteString(w, "loaded\n")
		v := 42
		return &v, nil
	}
	const callers = 8
	got := make([]*int, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := sharedExperiment(ctx, env, "a", load)
			if err != nil {
				t.Error(err)
			}
			got[i] = p
		}()
	}
	close(release)
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Fatalf("%d loads for %d concurrent callers of one key, want 1", n, callers)
	}
	for i, p := range got {
		if p != got[0] || p == nil || *p != 42 {
			t.Fatalf("caller %d got %p, caller 0 %p: want the same value", i, p, got[0])
		}
	}
	if log.String() != "loaded\n" {
		t.Errorf("log %q, want one line from the one load", log.String())
	}

	// Another key is another load; an error is shared like a value.
	boom := errors.New("boom")
	fail := func(io.Writer) (*int, error) { loads.Add(1); return nil, boom }
	for range 2 {
		if _, err := sharedExperiment(ctx, env, "b", fail); !errors.Is(err, boom) {
			t.Errorf("error %v, want boom", err)
		}
	}
	if n := loads.Load(); n != 2 {
		t.Errorf("%d loads after a second key called twice, want 2", n)
	}

	// A waiter whose context ends returns its error while the load goes on.
	block := make(chan struct{})
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := sharedExperiment(ctx, env, "c", func(io.Writer) (int, error) { close(started); <-block; return 1, nil })
		done <- err
	}()
	<-started
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := sharedExperiment(cctx, env, "c", func(io.Writer) (int, error) { t.Error("second load"); return 0, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("waiter with a cancelled context: %v", err)
	}
	close(block)
	if err := <-done; err != nil {
		t.Error(err)
	}

	// A load that panics: the panic reaches its caller, the next caller
	// gets an error.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the first caller")
			}
		}()
		sharedExperiment(ctx, env, "d", func(io.Writer) (int, error) { panic("load") })
	}()
	if _, err := sharedExperiment(ctx, env, "d", func(io.Writer) (int, error) { return 1, nil }); err == nil || !strings.Contains(err.Error(), "did not return") {
		t.Errorf("after a panicking load: %v", err)
	}

	// Without a memo (Render, tests) every call loads.
	var n int
	for range 2 {
		sharedExperiment(ctx, Env{}, "a", func(io.Writer) (int, error) { n++; return n, nil })
	}
	if n != 2 {
		t.Errorf("%d loads without a memo, want 2", n)
	}
}

// A quick Build of two artifacts of each experiment loads each experiment
// once (one line each on the log) and writes for each artifact the same
// files as building it alone.
func TestBuildLoadsEachExperimentOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("loads or trains the quick experiments")
	}
	needECharts(t)
	if _, err := reorder.FashionDigest(""); err != nil {
		t.Skip("dataset-fashion-mnist is not installed")
	}
	if _, err := os.Stat(text.DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	reg := []Artifact{reorderTableArtifact(), reorderCurvesArtifact(), wt103TableArtifact(), wt103ComparisonsArtifact()}
	var log bytes.Buffer
	dir := t.TempDir()
	rep, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: dir, EChartsJS: echartsTestPath, Quick: true, Registry: reg, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	// Each load says once whether it reuses the stored result or runs the
	// experiment (then it also says where it stored the result).
	for _, prefix := range []string{"experiment " + reorder.CacheName + ": ", "experiment " + lm.Quick().Name + ": "} {
		n := 0
		for _, line := range strings.Split(log.String(), "\n") {
			if strings.HasPrefix(line, prefix) && (strings.Contains(line, "reusing") || strings.Contains(line, "no cached result")) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d lines %q… reusing or running on the log, want 1:\n%s", n, prefix, log.String())
		}
	}
	if len(rep.Artifacts) != len(reg) {
		t.Fatalf("%d artifacts built, want %d", len(rep.Artifacts), len(reg))
	}
	for _, a := range reg {
		alone, err := Render(context.Background(), reg, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range alone.Files {
			if strings.HasSuffix(f.Name, ".json") {
				continue // the sidecar's wall time differs
			}
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, f.Data) {
				t.Errorf("%s: Build with a shared experiment wrote other bytes than building it alone", f.Name)
			}
		}
	}
}
