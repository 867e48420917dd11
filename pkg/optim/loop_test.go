package optim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// probeLoop is a Loop over one weight vector w ∈ R² with `replicas` extra
// workers. Micro-batch m (= update·accum + slot) has loss m+1 and
// gradient (m+1)·(1, −½), so the update's mean gradient has the closed
// form (mean of m+1)·(1, −½). It records what the loop asks of it.
type probeLoop struct {
	l      *Loop[float64]
	mu     sync.Mutex
	cuts   [][2]int // (update, slot) in call order
	slot   []int    // micro-batch in each slot
	bad    []string // violated expectations, seen inside Loss
	events []string // hooks in call order
	stats  []StepStats
	lossAt func(m int) (float64, error)
}

func newProbeLoop(t *testing.T, accum, replicas, steps int) *probeLoop {
	t.Helper()
	w := model.NewParam[float64]("w", false, 2)
	w.W[0], w.W[1] = 0.3, -0.7
	ps := []*model.Param[float64]{w}
	opt, err := NewAdamW(ps, 0.9, 0.999, 1e-8, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	p := &probeLoop{slot: make([]int, accum)}
	p.lossAt = func(m int) (float64, error) { return float64(m + 1), nil }
	var reps [][]*model.Param[float64]
	for r := 0; r < replicas; r++ {
		q := model.NewParam[float64]("w", false, 2)
		q.W = w.W
		reps = append(reps, []*model.Param[float64]{q})
	}
	workers := 1 + replicas
	sched := Cosine{Peak: 0.01, Min: 0.001, WarmupInit: 1e-4, Warmup: 2, Total: steps}
	p.l = &Loop[float64]{
		Opt: opt, Params: ps, Replicas: reps, Sched: sched, Steps: steps, Accum: accum, Seed: 11, Name: "probe",
		Batches: BatchFunc(func(update, j int) {
			p.cuts = append(p.cuts, [2]int{update, j})
			p.slot[j] = update*accum + j
		}),
		Loss: func(wk, j int, rng *rand.Rand) (float64, error) {
			m := p.slot[j]
			var msg string
			if wk != j%workers {
				msg = fmt.Sprintf("micro-batch %d on worker %d, want %d", m, wk, j%workers)
			} else if rng.Uint64() != DropoutRNG(11, m).Uint64() {
				msg = fmt.Sprintf("micro-batch %d: dropout stream is not DropoutRNG(seed, %d)", m, m)
			}
			if msg != "" {
				p.mu.Lock()
				p.bad = append(p.bad, msg)
				p.mu.Unlock()
			}
			g := ps[0].G
			if wk > 0 {
				g = reps[wk-1][0].G
			}
			g[0] += float64(m + 1)
			g[1] -= float64(m+1) / 2
			return p.lossAt(m)
		},
	}
	p.l.Hooks = LoopHooks{
		OnUpdate: func(st StepStats) error {
			p.events = append(p.events, fmt.Sprintf("update %d", st.Step))
			p.stats = append(p.stats, st)
			return nil
		},
		OnEval: func(st StepStats) error { p.events = append(p.events, fmt.Sprintf("eval %d", st.Step)); return nil },
		Save:   func() error { p.events = append(p.events, fmt.Sprintf("save %d", p.l.Opt.Step)); return nil },
	}
	return p
}

// One update: the micro-batches are cut in order before any loss, slot j
// runs on worker j mod workers with the dropout stream of its micro-batch,
// the gradients of all workers are zeroed, summed and averaged (the norm
// and the mean loss match the closed form), the learning rate is the
// schedule's at the update's position, and the hooks follow at their
// periods and after the last update.
func TestLoopUpdatesAndHooks(t *testing.T) {
	const accum, steps = 3, 7
	for _, replicas := range []int{0, 1, 2} {
		p := newProbeLoop(t, accum, replicas, steps)
		p.l.Hooks.EvalEvery, p.l.Hooks.SaveEvery = 3, 2
		if err := p.l.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(p.bad) > 0 {
			t.Fatalf("%d replicas: %s", replicas, strings.Join(p.bad, "; "))
		}
		var cuts [][2]int
		var events []string
		for s := 1; s <= steps; s++ {
			for j := 0; j < accum; j++ {
				cuts = append(cuts, [2]int{s - 1, j})
			}
			events = append(events, fmt.Sprintf("update %d", s))
			if s%3 == 0 || s == steps {
				events = append(events, fmt.Sprintf("eval %d", s))
			}
			if s%2 == 0 || s == steps {
				events = append(events, fmt.Sprintf("save %d", s))
			}
		}
		if !slices.Equal(cuts, p.cuts) {
			t.Errorf("%d replicas: cuts %v, want %v", replicas, p.cuts, cuts)
		}
		if !slices.Equal(events, p.events) {
			t.Errorf("%d replicas: hooks %v, want %v", replicas, p.events, events)
		}
		for i, st := range p.stats {
			mean := float64(accum*i) + float64(accum+1)/2 // mean of m+1 over the update's micro-batches
			norm := mean * math.Sqrt(1.25)
			if st.Step != i+1 || st.Loss != mean || st.LR != p.l.Sched.At(i) || math.Abs(st.GradNorm-norm) > 1e-12*norm {
				t.Errorf("%d replicas, update %d: %+v, want loss %v, lr %v, gradient norm %v", replicas, i+1, st, mean, p.l.Sched.At(i), norm)
			}
		}
	}
}

// A cancelled run saves and stops before the next update; a loop rebuilt
// around the same optimizer finishes it with the weights of an
// uninterrupted run, bit for bit.
func TestLoopCancelSavesAndContinues(t *testing.T) {
	ref := newProbeLoop(t, 2, 1, 6)
	if err := ref.l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := newProbeLoop(t, 2, 1, 6)
	ctx, cancel := context.WithCancel(context.Background())
	on := p.l.Hooks.OnUpdate
	p.l.Hooks.OnUpdate = func(st StepStats) error {
		if st.Step == 2 {
			cancel()
		}
		return on(st)
	}
	if err := p.l.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run returned %v", err)
	}
	if want := []string{"update 1", "update 2", "save 2"}; p.l.Opt.Step != 2 || !slices.Equal(p.events, want) {
		t.Fatalf("stopped at %d with hooks %v, want step 2 and %v", p.l.Opt.Step, p.events, want)
	}
	if err := p.l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	a, b := ref.l.Params[0].W, p.l.Params[0].W
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("weight %d: %v after the interrupted run, %v uninterrupted", i, b[i], a[i])
		}
	}
	p.l.Hooks.Save = func() error { return errors.New("disk full") }
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	p.l.Steps = 8
	if err := p.l.Run(ctx); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failed save on cancellation: %v, want both errors", err)
	}
}

// Errors name the loop and the update (and the micro-batch for a loss),
// leave the weights alone, and a hook's error stops the run.
func TestLoopErrors(t *testing.T) {
	p := newProbeLoop(t, 2, 1, 5)
	p.lossAt = func(m int) (float64, error) {
		if m == 3 {
			return 0, errors.New("boom")
		}
		return 1, nil
	}
	if err := p.l.Run(context.Background()); err == nil || err.Error() != "probe: step 2 micro-batch 1: boom" {
		t.Errorf("loss error: %v", err)
	}
	p = newProbeLoop(t, 2, 0, 5)
	w := slices.Clone(p.l.Params[0].W)
	p.lossAt = func(int) (float64, error) { return math.NaN(), nil }
	if err := p.l.Run(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "probe: step 1: micro-batch 0: training loss is NaN") || !slices.Equal(w, p.l.Params[0].W) {
		t.Errorf("NaN loss: %v, weights %v → %v", err, w, p.l.Params[0].W)
	}
	p = newProbeLoop(t, 1, 0, 5)
	p.l.Hooks.OnEval = func(StepStats) error { return errors.New("eval failed") }
	p.l.Hooks.EvalEvery = 2
	if err := p.l.Run(context.Background()); err == nil || err.Error() != "eval failed" || p.l.Opt.Step != 2 {
		t.Errorf("hook error: %v at step %d", err, p.l.Opt.Step)
	}
	p = newProbeLoop(t, 1, 1, 5)
	p.l.Accum = 0
	if _, err := p.l.Step(); err == nil {
		t.Error("accum 0 accepted")
	}
	p.l.Accum = 1
	p.l.Replicas[0][0] = model.NewParam[float64]("w", false, 3)
	if _, err := p.l.Step(); err == nil {
		t.Error("a replica of another shape accepted")
	}
}
