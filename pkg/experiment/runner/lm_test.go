package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// synthCorpus is a bigram stream over 12 symbols, enough to learn from.
func synthCorpus() *text.Corpus {
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([]byte, 20000)
	for i := 1; i < len(s); i++ {
		s[i] = byte((int(s[i-1])*7 + 1 + rng.IntN(2)) % 12)
	}
	c, err := text.FromTokens("synthetic", 12, s[:16000], s[16000:18000], s[18000:])
	if err != nil {
		panic(err)
	}
	return c
}

func tinySpec() lm.Spec {
	s := lm.Quick()
	s.Name = "tiny"
	s.Base.Model.Vocab = 12
	s.Base.Data.SeqLen = 16
	s.Base.Train.Steps, s.Base.Train.EvalEvery = 12, 6
	s.Base.FinalEvalWindows = 8
	s.Depths = []lm.Depth{{DModel: 8, NLayer: 1}, {DModel: 8, NLayer: 2}}
	return s
}

// Every (depth, seed, arm) is trained, in the job order, identically for
// any number of parallel runs; the result validates; every reported pair
// compares seed with seed; the verdicts come from the rule.
func TestRunPairsAndIsDeterministic(t *testing.T) {
	spec := tinySpec()
	c := synthCorpus()
	var log bytes.Buffer
	a, err := RunLM(context.Background(), spec, c, Hooks{}, &log)
	if err != nil {
		t.Fatal(err)
	}
	spec.Parallel = 1
	b, err := RunLM(context.Background(), spec, c, Hooks{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(spec.Depths) * len(spec.Arms) * len(spec.Seeds)
	if len(a.Runs) != n || strings.Count(log.String(), "\n") != n {
		t.Fatalf("%d runs and %d log lines, want %d", len(a.Runs), strings.Count(log.String(), "\n"), n)
	}
	for i := range a.Runs {
		if a.Runs[i].Test.NLL != b.Runs[i].Test.NLL {
			t.Fatalf("run %d: test NLL %v with 2 parallel runs, %v with 1", i, a.Runs[i].Test.NLL, b.Runs[i].Test.NLL)
		}
	}
	if err := a.Validate(spec); err != nil {
		t.Fatal(err)
	}
	// Arms of one seed start from the same draws: D₀ = 0 arms have all D at
	// 0 only at the start, so after training their skip statistics differ
	// from the D₀ = 1 arms, while the parametrization's inertia holds.
	for _, s := range a.Summary() {
		switch s.Arm {
		case lm.ArmPos, lm.ArmPosD0:
			if s.MuNegative != 0 || s.MuPositive != float64(spec.Base.Model.DState) {
				t.Errorf("%s %s: μ inertia (+%v, −%v), want (+N, 0)", s.Depth, s.Arm, s.MuPositive, s.MuNegative)
			}
		case lm.ArmNeg, lm.ArmNegD0:
			if s.MuPositive != 0 {
				t.Errorf("%s %s: %v positive eigenvalues of μ, want 0", s.Depth, s.Arm, s.MuPositive)
			}
		}
	}
	cs, err := a.Comparisons()
	if err != nil {
		t.Fatal(err)
	}
	// Without a pre-registration: neg−pos, (each of the 8 other arms)−none,
	// neg-d0−pos-d0: 10 pairs at 2 depths + pooled.
	if len(cs) != 10*3 {
		t.Fatalf("%d comparisons, want 30", len(cs))
	}
	c0 := cs[0]
	if c0.A != lm.ArmNeg || c0.B != lm.ArmPos || c0.Paired.N != len(spec.Seeds) {
		t.Fatalf("first comparison %+v", c0)
	}
	for k, seed := range spec.Seeds {
		var neg, pos float64
		for _, r := range a.Runs {
			if r.Depth == c0.Depth && r.Seed == seed {
				switch r.Arm {
				case lm.ArmNeg:
					neg = r.Test.Perplexity
				case lm.ArmPos:
					pos = r.Test.Perplexity
				}
			}
		}
		if c0.Paired.Diffs[k] != neg-pos {
			t.Errorf("seed %d: paired difference %v, want %v", seed, c0.Paired.Diffs[k], neg-pos)
		}
	}
	vs, err := a.Verdicts()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Outcome != experiment.Supported && v.Outcome != experiment.NotSupported && v.Outcome != experiment.Inconclusive {
			t.Errorf("verdict %q: outcome %q", v.Claim, v.Outcome)
		}
	}
	if len(vs) != 3*3 {
		t.Errorf("%d verdicts, want 3 claims × (2 depths + pooled)", len(vs))
	}
	// Validation catches a damaged result.
	bad := *a
	bad.Runs = append([]lm.RunResult(nil), a.Runs...)
	bad.Runs[3].Test.NLL = math.NaN()
	if bad.Validate(spec) == nil {
		t.Error("a NaN test NLL validated")
	}
	bad.Runs = a.Runs[:len(a.Runs)-1]
	if bad.Validate(spec) == nil {
		t.Error("a missing run validated")
	}
	bad.Runs = append([]lm.RunResult(nil), a.Runs...)
	bad.Runs[0], bad.Runs[1] = bad.Runs[1], bad.Runs[0]
	if bad.Validate(spec) == nil {
		t.Error("swapped runs validated")
	}
}

// The numerics fingerprint ignores what changes no number (how many runs
// train at once, the threads) and sees a change in the last bit of any
// number the code computes.
func TestLMNumericsFingerprint(t *testing.T) {
	spec := tinySpec()
	ctx := context.Background()
	a, err := LMNumerics(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Parallel, spec.Base.Threads = 7, 3
	b, err := LMNumerics(ctx, spec)
	if err != nil || a != b {
		t.Fatalf("fingerprint changed with Parallel/Threads: %s vs %s (%v)", a, b, err)
	}
	perturbed, err := lmNumerics(ctx, spec, func(ctx context.Context, cfg lmrun.Config, c *text.Corpus, o train.RunOptions) (lmrun.Result, error) {
		r, err := train.Run(ctx, cfg, c, o)
		r.Test.NLL = math.Nextafter(r.Test.NLL, 10)
		return r, err
	})
	if err != nil || perturbed == a {
		t.Fatalf("a one-ulp change of one number kept the fingerprint (%v)", err)
	}
}

// LM stores the result, reuses it while the key holds, and reports
// and recomputes an invalid cache file. It needs Debian's dict-gcide.
func TestLoadOrRunCaches(t *testing.T) {
	spec := smallGCIDESpec(t)
	root := t.TempDir()
	if r, err := lm.Load(root, spec); r != nil || err != nil {
		t.Fatalf("lm.Load before any run: %v, %v", r, err)
	}
	var log bytes.Buffer
	r1, cached, err := LM(context.Background(), root, spec, Hooks{}, &log)
	if err != nil || cached {
		t.Fatalf("first run: cached %v, %v", cached, err)
	}
	// The reader finds the runner's result without training (the figures' path).
	if r, err := lm.Load(root, spec); err != nil || r == nil || r.Key != r1.Key || r.Runs[0].Test.NLL != r1.Runs[0].Test.NLL {
		t.Fatalf("lm.Load after the run: %v", err)
	}
	other := spec
	other.Base.Train.Steps++
	if r, err := lm.Load(root, other); r != nil || err != nil {
		t.Fatalf("lm.Load of another specification: %v, %v", r, err)
	}
	r2, cached, err := LM(context.Background(), root, spec, Hooks{}, &log)
	if err != nil || !cached || r2.Runs[0].Test.NLL != r1.Runs[0].Test.NLL {
		t.Fatalf("second run: cached %v, %v", cached, err)
	}
	path := experiment.CachePath(root, spec.Name, r1.Key)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(`"arm": "pos"`), []byte(`"arm": "sideways"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	_, cached, err = LM(context.Background(), root, spec, Hooks{}, &log)
	if err != nil || cached || !strings.Contains(log.String(), filepath.Base(path)+" is invalid") || !strings.Contains(log.String(), "recomputing") {
		t.Fatalf("damaged cache: cached %v, %v; log:\n%s", cached, err, log.String())
	}
}

// Whatever a cache file holds, LoadCache either rejects it with an error or
// returns a result whose summaries and verdicts compute without a panic.
func FuzzLoadCache(f *testing.F) {
	spec := tinySpec()
	spec.Depths, spec.Seeds = spec.Depths[:1], spec.Seeds[:2]
	r, err := RunLM(context.Background(), spec, synthCorpus(), Hooks{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"spec":{},"runs":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var got lm.Result
		ok, err := experiment.LoadCache(path, &got, func() error { return got.Validate(spec) })
		if !ok {
			if err == nil {
				t.Fatal("an existing file was neither loaded nor rejected")
			}
			return
		}
		_ = got.Summary()
		if _, err := got.Comparisons(); err != nil {
			return
		}
		if _, err := got.Verdicts(); err != nil {
			t.Fatalf("comparisons computed but verdicts failed: %v", err)
		}
	})
}

// pick returns the standard arms of the given names, in that order.
func pick(names ...string) []lm.Arm {
	var out []lm.Arm
	for _, n := range names {
		for _, a := range lm.StandardArms() {
			if a.Name == n {
				out = append(out, a)
			}
		}
	}
	return out
}

// The fingerprint's runs go through the paths the experiment uses: more
// than one layer, the spec's conv width, warm-up (rising learning rate) and
// clipping (a gradient norm above the threshold).
func TestLMFingerprintCoversWarmupClipAndDepth(t *testing.T) {
	spec := lm.Default()
	c := fingerprintCorpus()
	for _, a := range spec.Arms {
		cfg := lmFingerprintConfig(spec, a, c.Vocab.Size())
		if cfg.Model.NLayer < 2 || cfg.Model.DConv != spec.Base.Model.DConv {
			t.Fatalf("arm %s: %d layers, conv width %d (spec %d)", a.Name, cfg.Model.NLayer, cfg.Model.DConv, spec.Base.Model.DConv)
		}
		var lrs, norms []float64
		if _, err := train.Run(context.Background(), cfg, c, train.RunOptions{Hooks: train.Hooks{OnStep: func(s optim.StepStats) {
			lrs, norms = append(lrs, s.LR), append(norms, s.GradNorm)
		}}}); err != nil {
			t.Fatal(err)
		}
		if !(lrs[0] < lrs[1] && lrs[1] < lrs[2]) {
			t.Errorf("arm %s: learning rates %v: no warm-up", a.Name, lrs[:3])
		}
		clipped := 0
		for _, n := range norms {
			if n > cfg.Train.Clip {
				clipped++
			}
		}
		if clipped == 0 {
			t.Errorf("arm %s: gradient norms %v never above the clip %v", a.Name, norms, cfg.Train.Clip)
		}
	}
}

// smallGCIDESpec is lm.Quick cut to one depth, the arms neg and pos and 6
// updates, without a pre-registration (a temporary root has no
// docs/prereg); the test is skipped without Debian's dict-gcide.
func smallGCIDESpec(t *testing.T) lm.Spec {
	t.Helper()
	spec := lm.Quick()
	spec.Depths = spec.Depths[:1]
	spec.Arms = pick(lm.ArmNeg, lm.ArmPos)
	spec.Base.Train.Steps = 6
	spec.Prereg = ""
	if _, err := lmrun.CorpusDigest(spec.Base.Data); err != nil {
		t.Skipf("no GCIDE corpus: %v", err)
	}
	return spec
}
