package train

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func synthCorpus() *Corpus {
	s := bigramStream(30000, 12, 5)
	return &Corpus{Name: "synthetic", Vocab: 12, Train: s[:24000], Valid: s[24000:27000], Test: s[27000:], Digest: "synthetic"}
}

func synthSpec() ExperimentSpec {
	o := DefaultOptions()
	o.Steps, o.Batch, o.LR = 40, 4, 1e-2
	o.EvalEvery, o.EvalWindows, o.EvalBatch = 10, 8, 8
	return ExperimentSpec{
		Name: "synthetic",
		Base: Config{
			Model: ModelConfig{DModel: 8, NLayer: 2, DState: 4, DConv: 2, Expand: 2},
			Data:  DataConfig{Name: "gcide", SeqLen: 16}, Train: o, FinalEvalWindows: 16,
		},
		Scenarios: Parametrizations(),
		Seeds:     []uint64{1, 2},
		Parallel:  1,
	}
}

// The experiment trains every (scenario, seed), its result does not depend
// on how many runs train at once, and the spectra have the inertia of each
// parametrization (docs/paper.md §5.1).
func TestExperimentRunsEveryScenarioDeterministically(t *testing.T) {
	c := synthCorpus()
	spec := synthSpec()
	var log bytes.Buffer
	last := 0
	a, err := RunExperiment(context.Background(), spec, c, func(done, total int) {
		if total != 40*8 || done <= last-1 {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	}, &log)
	if err != nil {
		t.Fatal(err)
	}
	if last != 320 || strings.Count(log.String(), "\n") != 8 {
		t.Errorf("progress ended at %d; log:\n%s", last, log.String())
	}
	spec.Parallel = 2
	b, err := RunExperiment(context.Background(), spec, c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Runs {
		ra, rb := a.Runs[i], b.Runs[i]
		if ra.Valid != rb.Valid || ra.Test != rb.Test {
			t.Errorf("run %d (%s, seed %d): parallel %v vs sequential %v", i, ra.Scenario, ra.Seed, rb.Valid, ra.Valid)
		}
		want := map[string][2]int{"pos": {4, 0}, "neg": {0, 4}, "mixed": {2, 2}}
		for _, s := range ra.Spectra {
			if w, ok := want[ra.Scenario]; ok && (s.Positive != w[0] || s.Negative != w[1]) {
				t.Errorf("%s layer %d: inertia (+%d, −%d), want (+%d, −%d)", ra.Scenario, s.Layer, s.Positive, s.Negative, w[0], w[1])
			}
			if s.Zeros != 16-4 {
				t.Errorf("%s: %d zero eigenvalues, want d_inner − N = 12", ra.Scenario, s.Zeros)
			}
		}
		if len(ra.Spectra) != 2 || ra.Tokens != 40*4*16 || ra.Params <= 0 || len(ra.Curve) != 4 {
			t.Errorf("run %d: %d spectra, %d tokens, %d params, %d curve points", i, len(ra.Spectra), ra.Tokens, ra.Params, len(ra.Curve))
		}
	}
	// Summary and curves aggregate the right runs.
	sum := a.Summary()
	if len(sum) != 4 {
		t.Fatalf("summary has %d scenarios", len(sum))
	}
	for _, s := range sum {
		var xs []float64
		for _, r := range a.Runs {
			if r.Scenario == s.Scenario {
				xs = append(xs, r.Test.Perplexity)
			}
		}
		mean := (xs[0] + xs[1]) / 2
		sd := math.Abs(xs[0]-xs[1]) / math.Sqrt2 // sample sd of two values
		if s.Runs != 2 || math.Abs(s.TestPPL.Mean-mean) > 1e-12 || math.Abs(s.TestPPL.SD-sd) > 1e-12 {
			t.Errorf("%s: summary %+v, want mean %v sd %v", s.Scenario, s.TestPPL, mean, sd)
		}
	}
	for _, c := range a.Curves() {
		if len(c.Steps) != 4 || c.Steps[3] != 40 {
			t.Errorf("%s: curve steps %v", c.Scenario, c.Steps)
		}
		for k := range c.Steps {
			if !(c.Min[k] <= c.Mean[k] && c.Mean[k] <= c.Max[k]) {
				t.Errorf("%s step %d: min %v mean %v max %v", c.Scenario, c.Steps[k], c.Min[k], c.Mean[k], c.Max[k])
			}
		}
	}
}

func TestExperimentRejectsBadSpecs(t *testing.T) {
	for i, f := range []func(*ExperimentSpec){
		func(s *ExperimentSpec) { s.Name = "Bad Name" },
		func(s *ExperimentSpec) { s.Scenarios = []string{"pos", "sideways"} },
		func(s *ExperimentSpec) { s.Seeds = nil },
		func(s *ExperimentSpec) { s.Base.Train.Steps = 0 },
		func(s *ExperimentSpec) { s.Parallel = -1 },
	} {
		s := synthSpec()
		f(&s)
		if _, err := RunExperiment(context.Background(), s, synthCorpus(), nil, nil); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
	// A vocabulary that does not match the corpus is an error, not a panic.
	s := synthSpec()
	s.Base.Model.Vocab = 50
	if _, err := RunExperiment(context.Background(), s, synthCorpus(), nil, nil); err == nil {
		t.Error("vocabulary mismatch accepted")
	}
}

func TestStat(t *testing.T) {
	s := NewStat([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	// mean 5, Σ(x−5)² = 32, sample variance 32/7
	if s.Mean != 5 || math.Abs(s.SD-math.Sqrt(32.0/7)) > 1e-15 || s.Min != 2 || s.Max != 9 || s.N != 8 {
		t.Errorf("%+v", s)
	}
	if one := NewStat([]float64{3}); one.SD != 0 || one.Mean != 3 {
		t.Errorf("%+v", one)
	}
}

// The cache key changes with the code (non-test sources), the spec and the
// data, and nothing else.
func TestCodeVersionAndKey(t *testing.T) {
	root := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pkg/mamba/a.go", "package mamba")
	write("pkg/train/b.go", "package train")
	v0, err := CodeVersion(root)
	if err != nil {
		t.Fatal(err)
	}
	write("pkg/train/b_test.go", "package train // a test")
	write("pkg/figures/c.go", "package figures")
	write("pkg/mamba/notes.txt", "not Go")
	if v, _ := CodeVersion(root); v != v0 {
		t.Error("code version changed for a test file, another package or a non-Go file")
	}
	write("data/text/d.go", "package text")
	v1, _ := CodeVersion(root)
	write("pkg/mamba/a.go", "package mamba // edited")
	v2, _ := CodeVersion(root)
	if v1 == v0 || v2 == v1 {
		t.Error("code version did not change for a new or edited source file")
	}
	k := CacheKey{Code: v0, Spec: json.RawMessage(`{"a":1}`), Data: "1:ab"}
	h := k.Hash()
	for i, k2 := range []CacheKey{{v1, k.Spec, k.Data}, {v0, json.RawMessage(`{"a":2}`), k.Data}, {v0, k.Spec, "1:ac"}} {
		if k2.Hash() == h {
			t.Errorf("case %d: same hash for a different key", i)
		}
	}
	if k.Hash() != h {
		t.Error("hash is not deterministic")
	}
}

// LoadOrRunExperiment runs once, then reuses the stored result while the key
// is unchanged, and reruns when a source file or the data changes. The
// corpus is a small WikiText-103 stand-in written into the test's directory.
func TestLoadOrRunExperimentCaches(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "pkg", "train"), 0o755)
	os.WriteFile(filepath.Join(root, "pkg", "train", "x.go"), []byte("package train"), 0o644)
	data := filepath.Join(root, "wt")
	os.MkdirAll(data, 0o755)
	for i, s := range []string{"train", "valid", "test"} {
		var b strings.Builder
		for k := 0; k < []int{400, 60, 60}[i]; k++ {
			fmt.Fprintf(&b, " the %s line %d of the corpus , with some words .\n", s, k%7)
		}
		os.WriteFile(filepath.Join(data, "wiki."+s+".raw"), []byte(b.String()), 0o644)
	}
	spec := synthSpec()
	spec.Base.Data = DataConfig{Name: "wikitext103", Dir: data, SeqLen: 16}
	spec.Base.Train.Steps = 10
	spec.Scenarios, spec.Seeds = []string{"pos"}, []uint64{1}
	var log bytes.Buffer
	r1, cached, err := LoadOrRunExperiment(context.Background(), spec, root, nil, &log)
	if err != nil || cached {
		t.Fatalf("first call: cached %v, err %v", cached, err)
	}
	r2, cached, err := LoadOrRunExperiment(context.Background(), spec, root, nil, &log)
	if err != nil || !cached || r2.Key != r1.Key || r2.Runs[0].Test != r1.Runs[0].Test {
		t.Fatalf("second call: cached %v, err %v", cached, err)
	}
	if !strings.Contains(log.String(), "reusing the cached result .cache/experiments/synthetic-"+r1.Key[:16]+".json") {
		t.Errorf("log does not say the cache was reused:\n%s", log.String())
	}
	spec.Parallel = 3 // does not change the key
	if _, cached, _ := LoadOrRunExperiment(context.Background(), spec, root, nil, &log); !cached {
		t.Error("Parallel changed the key")
	}
	os.WriteFile(filepath.Join(root, "pkg", "train", "x.go"), []byte("package train // changed"), 0o644)
	r3, cached, err := LoadOrRunExperiment(context.Background(), spec, root, nil, &log)
	if err != nil || cached || r3.Key == r1.Key {
		t.Fatalf("after a code change: cached %v, err %v", cached, err)
	}
	// Same configuration and data: the same numbers.
	if r3.Runs[0].Test != r1.Runs[0].Test {
		t.Errorf("rerun gave %+v, first run %+v", r3.Runs[0].Test, r1.Runs[0].Test)
	}
	f, _ := os.OpenFile(filepath.Join(data, "wiki.test.raw"), os.O_APPEND|os.O_WRONLY, 0o644)
	f.WriteString(" one more line .\n")
	f.Close()
	if _, cached, err := LoadOrRunExperiment(context.Background(), spec, root, nil, &log); err != nil || cached {
		t.Errorf("after a data change: cached %v, err %v", cached, err)
	}
}
