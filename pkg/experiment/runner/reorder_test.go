package runner

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// tinySpec is reorder.Quick on synthetic data, milliseconds per run.
func tinyReorderSpec() reorder.Spec {
	s := reorder.Quick()
	s.Patches = []int{7, 4}
	s.DModel, s.NLayer, s.Batch, s.Epochs, s.Probe = 8, 2, 8, 2, 4
	s.Seeds = []uint64{1, 2, 3}
	return s
}

func tinyResult(t testing.TB, s reorder.Spec) *reorder.Result {
	t.Helper()
	d, err := reorder.NewData(syntheticSet(48, 3), syntheticSet(24, 4), 2, s, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := RunReorder(context.Background(), s, d, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The runs do not depend on the thread count, and the result passes its
// own validation.
func TestRunDeterministicAndValid(t *testing.T) {
	s := tinyReorderSpec()
	s.Threads = 1
	a := tinyResult(t, s)
	s.Threads = 3
	b := tinyResult(t, s)
	for i := range a.Runs {
		x, y := a.Runs[i], b.Runs[i]
		x.Seconds, y.Seconds = 0, 0
		for k := range x.Epochs {
			x.Epochs[k].Seconds, y.Epochs[k].Seconds = 0, 0
		}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("run %d differs between 1 and 3 threads", i)
		}
	}
	if err := a.Check(); err != nil {
		t.Fatal(err)
	}
	if len(a.Runs) != 2*3*3 || a.Runs[3].Arm != reorder.ArmTau1 || a.Runs[9].Patch != 4 {
		t.Fatalf("runs not in patch × arm × seed order")
	}
}

// Pairing: for a seed every arm starts from the same shared weights and the
// reordering arms differ only by K (drawn from its own stream).
func TestArmsArePaired(t *testing.T) {
	s := tinyReorderSpec()
	arms := s.Arms
	base, err := NewClassifier(s, arms[0], 16, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arms[1:] {
		m, err := NewClassifier(s, a, 16, 10, 5)
		if err != nil {
			t.Fatal(err)
		}
		shared := map[string][]float32{}
		for _, p := range base.Params() {
			shared[p.Name] = p.W
		}
		for _, p := range m.Params() {
			if w, ok := shared[p.Name]; ok && !reflect.DeepEqual(w, p.W) {
				t.Errorf("%s: %s differs from the baseline's", a.Name, p.Name)
			}
			if p.NoDecay != (len(p.Shape) <= 1) {
				t.Errorf("%s: %s (shape %v) exempt from weight decay: %v under %q (timm: exactly the parameters of at most one dimension)",
					a.Name, p.Name, p.Shape, p.NoDecay, s.DecayGroups)
			}
		}
	}
}

// reorder.Summary and Verdict against an independent recomputation of the paired
// differences.
func TestSummaryAndVerdict(t *testing.T) {
	s := tinyReorderSpec()
	r := tinyResult(t, s)
	sum := r.Summary()
	if len(sum.Patches) != 2 || len(sum.Patches[0].Compare) != 2 {
		t.Fatalf("summary shape %+v", sum)
	}
	c := sum.Patches[1].Compare[0] // patch 4, τ = 1
	var mean float64
	for i, sd := range s.Seeds {
		var ra, rb reorder.Record
		for _, run := range r.Runs {
			if run.Patch == 4 && run.Seed == sd && run.Arm == reorder.ArmTau1 {
				ra = run
			}
			if run.Patch == 4 && run.Seed == sd && run.Arm == reorder.ArmBaseline {
				rb = run
			}
		}
		d := ra.TestAcc - rb.TestAcc
		if c.Final.Diffs[i] != d {
			t.Errorf("seed %d: final difference %v, want %v", sd, c.Final.Diffs[i], d)
		}
		mean += d / float64(len(s.Seeds))
	}
	if math.Abs(c.Final.Mean-mean) > 1e-15 || len(c.PerEpoch) != s.Epochs || c.PerEpoch[s.Epochs-1].Mean != c.Final.Mean {
		t.Errorf("final mean %v, want %v; %d per-epoch entries", c.Final.Mean, mean, len(c.PerEpoch))
	}
	vs := r.Verdict()
	if len(vs) != 2*2*2 {
		t.Fatalf("%d verdicts, want 8", len(vs))
	}
	want := experiment.Decide(vs[6].Claim, c.Final, +1)
	if vs[6] != want {
		t.Errorf("verdict %+v, want %+v", vs[6], want)
	}
	for _, v := range vs {
		if v.Outcome != experiment.Supported && v.Outcome != experiment.NotSupported && v.Outcome != experiment.Inconclusive {
			t.Errorf("outcome %q", v.Outcome)
		}
	}
}

// The hard arm reorders by a permutation (every row of P one-hot: row max
// exactly 1 after every epoch), the authors' soft arm at τ = 1 by a blend
// (row max in [1/L, 1)).
func TestRowMaxHardAndSoft(t *testing.T) {
	s := tinyReorderSpec()
	sum := tinyResult(t, s).Summary()
	for _, ps := range sum.Patches {
		for _, a := range ps.Arms[1:] {
			if len(a.RowMax) != s.Epochs {
				t.Fatalf("%s, %d tokens: %d row maxima, want %d", a.Arm.Name, ps.L, len(a.RowMax), s.Epochs)
			}
			for e, rm := range a.RowMax {
				hard := a.Arm.Name == reorder.ArmHard
				if hard && math.Abs(rm-1) > 1e-6 || !hard && !(rm >= 1/float64(ps.L)-1e-6 && rm < 1-1e-3) {
					t.Errorf("%s, %d tokens, epoch %d: row max %v", a.Arm.Name, ps.L, e+1, rm)
				}
			}
		}
	}
}

// The numerics fingerprint is stable, and moves with a change of the numbers.
func TestReorderNumericsFingerprint(t *testing.T) {
	s := tinyReorderSpec()
	a, err := ReorderNumerics(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ReorderNumerics(context.Background(), s)
	s.Threads = 2 // not a number of the experiment
	c, _ := ReorderNumerics(context.Background(), s)
	s.LR *= 1.0000001
	d, _ := ReorderNumerics(context.Background(), s)
	if a != b || a != c || a == d {
		t.Errorf("fingerprints %s %s %s %s: want the first three equal and the last different", a[:8], b[:8], c[:8], d[:8])
	}
}

// reorder.Store, then read back under the same key; a defective entry is an error
// naming the file.
func TestCacheRoundTrip(t *testing.T) {
	s := tinyReorderSpec()
	r := tinyResult(t, s)
	r.Key = strings.Repeat("ab", 32)
	root := t.TempDir()
	if err := reorder.Store(root, r); err != nil {
		t.Fatal(err)
	}
	path := experiment.CachePath(root, reorder.CacheName, r.Key)
	got, err := readCache(path, s, r.Key)
	if err != nil || got == nil || !reflect.DeepEqual(got.Runs, r.Runs) {
		t.Fatalf("round trip: %v", err)
	}
	if got, err := readCache(path, s, strings.Repeat("cd", 32)); got != nil || err == nil {
		t.Error("an entry for another key was accepted")
	}
	b, _ := os.ReadFile(path)
	for name, bad := range map[string]string{
		"nan row max": strings.Replace(string(b), `"row_max": 0,`, `"row_max": 2,`, 1),
		"run dropped": strings.Replace(string(b), `"arm": "baseline"`, `"arm": "other"`, 1),
		"truncated":   string(b[:len(b)/2]),
	} {
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readCache(path, s, r.Key)
		if got != nil || err == nil || !strings.Contains(err.Error(), filepath.Base(path)) || !strings.Contains(err.Error(), "invalid") {
			t.Errorf("%s: %v, %v; want an error naming the invalid file", name, got != nil, err)
		}
	}
}

func FuzzReadCache(f *testing.F) {
	s := tinyReorderSpec()
	s.Seeds = s.Seeds[:2]
	s.Patches = []int{7}
	r := tinyResult(f, s)
	r.Key = strings.Repeat("ab", 32)
	dir := f.TempDir()
	if err := reorder.Store(dir, r); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(experiment.CachePath(dir, reorder.CacheName, r.Key))
	f.Add(b)
	f.Add([]byte(`{"spec":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readCache(path, s, r.Key)
		if err == nil && got != nil {
			_ = got.Summary()
			_ = got.Verdict()
		}
	})
}

// runJob through optim.Loop equals the plain loop written out (mini-batch
// in the seeded order, zeroed gradients, loss, optim.ApplyUpdate at the
// schedule's rate) bit for bit, here with 18 training images in batches
// of 4, so every epoch ends on a remainder batch of 2.
func TestRunJobMatchesPlainLoop(t *testing.T) {
	s := tinyReorderSpec()
	s.Batch, s.Epochs = 4, 2
	d, err := reorder.NewData(syntheticSet(18, 3), syntheticSet(8, 4), 2, s, "")
	if err != nil {
		t.Fatal(err)
	}
	tok := d.Tokens[7]
	for _, a := range s.Arms {
		got, err := runJob(context.Background(), d, tok, s, a, 5, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewClassifier(s, a, tok.F, d.Classes, 5)
		if err != nil {
			t.Fatal(err)
		}
		ps := m.Params()
		opt, _ := optim.NewAdamW(ps, 0.9, 0.999, 1e-8, s.WeightDecay)
		n, lf := d.Train.N, tok.L*tok.F
		spe := (n + s.Batch - 1) / s.Batch
		sched := reorderSchedule(s, spe*s.Epochs)
		order := optim.NewOrder(n, 5)
		step := 0
		for ep := 0; ep < s.Epochs; ep++ {
			var sum float64
			for j := 0; j < spe; j++ {
				var feat []float32
				var lab []int32
				for i := j * s.Batch; i < min(n, (j+1)*s.Batch); i++ {
					k := order.At(ep*n + i)
					feat = append(feat, tok.Train[k*lf:(k+1)*lf]...)
					lab = append(lab, d.TrainLab[k])
				}
				optim.ZeroGrads(ps)
				loss, err := m.Loss(feat, lab, len(lab), true, optim.DropoutRNG(5, step))
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := optim.ApplyUpdate(opt, ps, []float64{loss}, s.Clip, sched.At(step)); err != nil {
					t.Fatal(err)
				}
				sum += loss
				step++
			}
			e := got.Epochs[ep]
			if e.Step != step || e.LR != sched.At(step-1) || e.TrainLoss != sum/float64(spe) {
				t.Errorf("%s, epoch %d: step %d, lr %v, train loss %v; want %d, %v, %v", a.Name, ep+1, e.Step, e.LR, e.TrainLoss, step, sched.At(step-1), sum/float64(spe))
			}
		}
		if w := weightsHash(ps); got.Weights != w || got.Steps != step {
			t.Errorf("%s: weights %.12s after %d updates, the plain loop's %.12s after %d", a.Name, got.Weights, got.Steps, w, step)
		}
	}
}

// readCache reads and validates the reorder cache entry at path for spec
// and hash, as reorder.LoadKeyed does for a root.
func readCache(path string, spec reorder.Spec, hash string) (*reorder.Result, error) {
	var r reorder.Result
	ok, err := experiment.LoadCache(path, &r, func() error { return r.Validate(spec, hash) })
	if !ok || err != nil {
		return nil, err
	}
	return &r, nil
}

// The reorder fingerprint runs a warm-up and clips at a threshold the
// gradients of a fresh model exceed.
func TestReorderFingerprintCoversWarmupAndClip(t *testing.T) {
	s := reorderFingerprintSpec(reorder.Default())
	if w := reorderSchedule(s, 4).Warmup; w < 1 {
		t.Errorf("warm-up of %d updates", w)
	}
	if !(s.Clip > 0 && s.Clip <= 0.05) || s.NLayer < 2 || s.DConv != reorder.Default().DConv {
		t.Errorf("clip %v, %d layers, conv %d", s.Clip, s.NLayer, s.DConv)
	}
}
