package train

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// tinySetup returns train/valid windows of a bigram stream over 12 symbols.
func tinySetup(t *testing.T, seqLen int) (*Windows[uint8], *Windows[uint8]) {
	t.Helper()
	s := bigramStream(6000, 12, 3)
	tr, err := NewWindows(s[:5000], seqLen)
	if err != nil {
		t.Fatal(err)
	}
	va, err := NewWindows(s[5000:], seqLen)
	if err != nil {
		t.Fatal(err)
	}
	return tr, va
}

func tinyOptions(steps int) lmrun.Options {
	o := lmrun.DefaultOptions()
	o.Steps, o.Batch, o.Accum = steps, 4, 1
	o.LR, o.WeightDecay, o.WarmupFrac = 0.05, 0.01, 0.05
	o.EvalEvery = steps / 4
	return o
}

// A model with zero weights predicts the uniform distribution: NLL = ln V,
// perplexity V, log₂ V bits.
func TestEvaluateUniformModel(t *testing.T) {
	m := newTiny[float64](12, 4, 0, 1)
	for _, p := range m.Params() {
		clear(p.W)
	}
	_, va := tinySetup(t, 8)
	for _, cap := range []int{0, 7} {
		ev, err := Evaluate[float64](m, va, 3, cap)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ev.NLL-math.Log(12)) > 1e-12 || math.Abs(ev.Perplexity-12) > 1e-10 || math.Abs(ev.BitsPerByte-math.Log2(12)) > 1e-12 {
			t.Errorf("cap %d: %+v, want NLL ln 12, perplexity 12, %v bits", cap, ev, math.Log2(12))
		}
		want := int64(va.Count() * 8)
		if cap > 0 {
			want = int64(cap * 8)
		}
		if ev.Tokens != want {
			t.Errorf("cap %d: %d tokens, want %d", cap, ev.Tokens, want)
		}
	}
}

func TestTrainingLowersValidationLoss(t *testing.T) {
	tr, va := tinySetup(t, 16)
	m := newTiny[float64](12, 6, 0.1, 2)
	o := tinyOptions(200)
	tn, err := NewTrainer[float64](m, tr, va, o)
	if err != nil {
		t.Fatal(err)
	}
	ev0, _ := tn.Evaluate()
	if err := tn.Run(context.Background(), Hooks{}); err != nil {
		t.Fatal(err)
	}
	h := tn.State.History
	if len(h) != 4 || h[3].Step != 200 || !tn.State.Finished {
		t.Fatalf("history %+v", h)
	}
	last := h[len(h)-1].Valid
	// The chain has two successors per symbol (plus 5 % noise): a bigram
	// model can get close to ln 2 + noise, far below ln 12 ≈ 2.48.
	if !(last.NLL < 0.6*ev0.NLL) || last.NLL > 1.3 {
		t.Errorf("validation NLL %v -> %v: did not learn", ev0.NLL, last.NLL)
	}
	if h[3].Tokens != int64(200*4*16) {
		t.Errorf("tokens seen %d, want %d", h[3].Tokens, 200*4*16)
	}
}

func cloneWeights[T mamba.Float](ps []*model.Param[T]) [][]T {
	var out [][]T
	for _, p := range ps {
		out = append(out, slices.Clone(p.W))
	}
	return out
}

func maxDiff(a, b [][]float64) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return d
}

// Accumulating k micro-batches of B/k sequences equals one batch of B
// sequences (no dropout: the model is then deterministic), and computing
// micro-batches on replicas equals computing them in sequence. 50 updates
// of 8 sequences cross the end of the first epoch (312 windows).
func TestAccumulationAndReplicasMatchOneBigBatch(t *testing.T) {
	tr, va := tinySetup(t, 16)
	run := func(batch, accum, replicas int) [][]float64 {
		m := newTiny[float64](12, 6, 0, 2)
		o := tinyOptions(50)
		o.Batch, o.Accum, o.Clip = batch, accum, 0.05 // small clip: exercised every step
		tn, err := NewTrainer[float64](m, tr, va, o)
		if err != nil {
			t.Fatal(err)
		}
		var reps []Model[float64]
		for r := 0; r < replicas; r++ {
			reps = append(reps, newTiny[float64](12, 6, 0, 99))
		}
		if err := tn.SetReplicas(reps); err != nil {
			t.Fatal(err)
		}
		for s := 0; s < o.Steps; s++ {
			if _, err := tn.Step(); err != nil {
				t.Fatal(err)
			}
		}
		return cloneWeights(m.Params())
	}
	ref := run(8, 1, 0)
	for _, c := range []struct{ batch, accum, replicas int }{{4, 2, 0}, {2, 4, 0}, {2, 4, 1}, {1, 8, 3}} {
		if d := maxDiff(ref, run(c.batch, c.accum, c.replicas)); d > 1e-12 {
			t.Errorf("batch %d × accum %d with %d replicas differs from batch 8 by %g", c.batch, c.accum, c.replicas, d)
		}
	}
}

// Training 2k steps in one go and 1k + checkpoint + resume in a fresh
// process-like state + 1k must give the same weights, bit for bit, and the
// same history (apart from wall times), with dropout on.
func TestResumeIsBitIdentical(t *testing.T) {
	for _, prec := range []string{"float32", "float64"} {
		t.Run(prec, func(t *testing.T) {
			if prec == "float32" {
				resumeCase[float32](t)
			} else {
				resumeCase[float64](t)
			}
		})
	}
}

func resumeCase[T mamba.Float](t *testing.T) {
	tr, va := tinySetup(t, 8)
	const steps = 2000
	o := tinyOptions(steps)
	o.EvalEvery, o.EvalWindows, o.Accum = 250, 16, 2
	newT := func(o lmrun.Options) (*Trainer[T, uint8], *tinyLM[T]) {
		m := newTiny[T](12, 6, 0.2, 7)
		tn, err := NewTrainer[T](m, tr, va, o)
		if err != nil {
			t.Fatal(err)
		}
		tn.Aliases = map[string]string{"tied.copy": "lm_head.weight"}
		return tn, m
	}
	full, fm := newT(o)
	if err := full.Run(context.Background(), Hooks{}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	o1 := o
	o1.CheckpointDir, o1.CheckpointEvery = dir, 1000
	first, _ := newT(o1)
	ctx, cancel := context.WithCancel(context.Background())
	saved := 0
	err := first.Run(ctx, Hooks{OnCheckpoint: func(step int, _ string) {
		saved = step
		cancel() // stop after the first checkpoint, at step 1000
	}})
	if err == nil || saved != 1000 || first.Opt.Step != 1000 {
		t.Fatalf("interrupted run: err %v, checkpoint at %d, step %d", err, saved, first.Opt.Step)
	}
	second, sm := newT(o1) // fresh weights, overwritten by the checkpoint
	if _, err := second.Resume(dir); err != nil {
		t.Fatal(err)
	}
	if err := second.Run(context.Background(), Hooks{}); err != nil {
		t.Fatal(err)
	}
	for i, p := range fm.Params() {
		q := sm.Params()[i]
		for j := range p.W {
			if p.W[j] != q.W[j] {
				t.Fatalf("%s[%d]: uninterrupted %v, resumed %v", p.Name, j, p.W[j], q.W[j])
			}
		}
	}
	if len(full.State.History) != len(second.State.History) {
		t.Fatalf("history lengths %d vs %d", len(full.State.History), len(second.State.History))
	}
	for i, p := range full.State.History {
		q := second.State.History[i]
		p.Seconds, q.Seconds = 0, 0
		if p != q {
			t.Errorf("history[%d]: %+v vs %+v", i, p, q)
		}
	}
	// The end-of-run checkpoint reloads to the same weights.
	third, tm := newT(o1)
	ck, err := third.Resume(dir)
	if err != nil || ck.Step != steps || !ck.State.Finished {
		t.Fatalf("final checkpoint: %v %+v", err, ck)
	}
	for i, p := range fm.Params() {
		if !slices.Equal(p.W, tm.Params()[i].W) {
			t.Fatalf("%s differs after reloading the final checkpoint", p.Name)
		}
	}
}

func TestResumeRejectsBadCheckpoints(t *testing.T) {
	tr, va := tinySetup(t, 8)
	dir := t.TempDir()
	o := tinyOptions(20)
	o.CheckpointDir = dir
	m := newTiny[float32](12, 6, 0, 7)
	tn, _ := NewTrainer[float32](m, tr, va, o)
	if err := tn.Run(context.Background(), Hooks{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		setup func(o *lmrun.Options) (Model[float32], lmrun.Options)
	}{
		{"different learning rate", func(o *lmrun.Options) (Model[float32], lmrun.Options) {
			o.LR *= 2
			return newTiny[float32](12, 6, 0, 7), *o
		}},
		{"different shape", func(o *lmrun.Options) (Model[float32], lmrun.Options) {
			return newTiny[float32](12, 5, 0, 7), *o
		}},
	} {
		oo := o
		mm, oo := c.setup(&oo)
		tn2, err := NewTrainer[float32](mm, tr, va, oo)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tn2.Resume(dir); err == nil {
			t.Errorf("%s: resumed without error", c.name)
		}
	}
	// A float64 model cannot load float32 tensors silently.
	m64 := newTiny[float64](12, 6, 0, 7)
	tn64, _ := NewTrainer[float64](m64, tr, va, o)
	if _, err := tn64.Resume(dir); err == nil {
		t.Error("float64 model loaded a float32 checkpoint")
	}
	// Truncated model file.
	mp, _, err := checkpoint.TrainingFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(mp)
	os.WriteFile(mp, b[:len(b)-3], 0o644)
	tn3, _ := NewTrainer[float32](newTiny[float32](12, 6, 0, 7), tr, va, o)
	if _, err := tn3.Resume(dir); err == nil {
		t.Error("truncated checkpoint accepted")
	}
	if _, err := tn3.Resume(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing checkpoint accepted")
	}
}
