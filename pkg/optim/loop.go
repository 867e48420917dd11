package optim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Batches is the data side of the training loop. Cut prepares slot j
// (0 ≤ j < Loop.Accum) with micro-batch update·Accum + j of the seeded
// order; the loop calls it for j = 0, 1, … in order, before any Loss of
// the update, so a source may keep one epoch's permutation at a time.
type Batches interface {
	Cut(update, j int)
}

// BatchFunc is a Batches given by its Cut.
type BatchFunc func(update, j int)

// Cut calls f.
func (f BatchFunc) Cut(update, j int) { f(update, j) }

// LossFunc computes, on worker w (0: the model that Loop.Params belong
// to, w ≥ 1: Loop.Replicas[w-1]), the mean training loss of the
// micro-batch in slot j, ADDS its gradient to that worker's G and draws
// its dropout masks from rng. Different workers run concurrently, each on
// its own slots j ≡ w (mod workers).
type LossFunc func(w, j int, rng *rand.Rand) (float64, error)

// LoopHooks are the callbacks of Loop.Run, called in this order after an
// update, each only when set. An error stops the run and is returned.
//
//	OnUpdate  after every update
//	OnEval    every EvalEvery updates (0: never) and after the last
//	Save      every SaveEvery updates (0: never), after the last, and when ctx stops the run
type LoopHooks struct {
	OnUpdate  func(StepStats) error
	EvalEvery int
	OnEval    func(StepStats) error
	SaveEvery int
	Save      func() error
}

// Loop is the one training loop of the project (docs/paper.md §6.1),
// driven by Trainer for the language models and by pkg/experiment/reorder
// for the classifiers. One update (Step) at position s = Opt.Step:
//
//  1. Batches.Cut(s, j) for j = 0..Accum-1, in order;
//  2. every worker's gradients zeroed;
//  3. Loss(w, j, DropoutRNG(Seed, s·Accum+j)) for every slot j on worker
//     j mod (1+len(Replicas)), workers in parallel;
//  4. the replicas' gradients summed into Params' G in worker order (so the
//     result does not depend on the goroutines' scheduling);
//  5. ApplyUpdate at the learning rate Sched.At(s): finiteness checks,
//     averaging over the Accum micro-batches, clipping at Clip, AdamW.
//
// Run repeats Step until Opt.Step = Steps, calling the hooks. Every random
// number of an update is a pure function of (Seed, s) and the batch
// source's order, and the position lives in the optimizer, so a loop
// rebuilt around a restored optimizer continues the interrupted run.
type Loop[T mamba.Float] struct {
	Opt *AdamW[T]
	// Params are Opt's tensors (worker 0's); Replicas the tensors of the
	// other workers, same shapes, W shared with Params, G their own.
	Params   []*model.Param[T]
	Replicas [][]*model.Param[T]
	Sched    Cosine
	Steps    int // updates in all
	Accum    int // micro-batches per update, ≥ 1
	Clip     float64
	Seed     uint64 // of the dropout streams
	// Name prefixes the errors of an update ("train": "train: step 3
	// micro-batch 0: …").
	Name    string
	Batches Batches
	Loss    LossFunc
	Hooks   LoopHooks
}

// Step performs the update at position Opt.Step. Its errors name the
// update (1-based) and, for a loss, the micro-batch.
func (l *Loop[T]) Step() (StepStats, error) {
	if err := l.check(); err != nil {
		return StepStats{}, fmt.Errorf("%s: %w", l.Name, err)
	}
	step := l.Opt.Step
	lr := l.Sched.At(step)
	workers := 1 + len(l.Replicas)
	for j := 0; j < l.Accum; j++ {
		l.Batches.Cut(step, j)
	}
	ZeroGrads(l.Params)
	for _, ps := range l.Replicas {
		ZeroGrads(ps)
	}
	losses := make([]float64, l.Accum)
	errs := make([]error, workers)
	run := func(w int) {
		for j := w; j < l.Accum; j += workers {
			loss, err := l.Loss(w, j, DropoutRNG(l.Seed, step*l.Accum+j))
			if err != nil {
				errs[w] = fmt.Errorf("%s: step %d micro-batch %d: %w", l.Name, step+1, j, err)
				return
			}
			losses[j] = loss
		}
	}
	if workers == 1 {
		run(0)
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Go(func() { run(w) })
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return StepStats{}, err
		}
	}
	for _, ps := range l.Replicas {
		for i, p := range ps {
			g := l.Params[i].G
			for k, v := range p.G {
				g[k] += v
			}
		}
	}
	mean, norm, err := ApplyUpdate(l.Opt, l.Params, losses, l.Clip, lr)
	if err != nil {
		return StepStats{}, fmt.Errorf("%s: step %d: %w", l.Name, step+1, err)
	}
	return StepStats{Step: l.Opt.Step, Loss: mean, LR: lr, GradNorm: norm}, nil
}

// check reports a loop that cannot perform an update.
func (l *Loop[T]) check() error {
	switch {
	case l.Opt == nil || l.Batches == nil || l.Loss == nil:
		return fmt.Errorf("loop without optimizer, batches or loss")
	case l.Accum < 1:
		return fmt.Errorf("loop with %d micro-batches per update, want >= 1", l.Accum)
	}
	for r, ps := range l.Replicas {
		if len(ps) != len(l.Params) {
			return fmt.Errorf("replica %d has %d params, the model %d", r+1, len(ps), len(l.Params))
		}
		for i, p := range ps {
			if len(p.G) != len(l.Params[i].G) {
				return fmt.Errorf("replica %d param %d has %d gradients, the model %d", r+1, i, len(p.G), len(l.Params[i].G))
			}
		}
	}
	return nil
}

// Run performs updates until Opt.Step = Steps, calling the hooks after
// each. When ctx is cancelled it stops before the next update and returns
// ctx's error, after Hooks.Save when set.
func (l *Loop[T]) Run(ctx context.Context) error {
	h := l.Hooks
	for l.Opt.Step < l.Steps {
		if err := ctx.Err(); err != nil {
			if h.Save != nil {
				if serr := h.Save(); serr != nil {
					return fmt.Errorf("%w (and %v)", err, serr)
				}
			}
			return err
		}
		st, err := l.Step()
		if err != nil {
			return err
		}
		if h.OnUpdate != nil {
			if err := h.OnUpdate(st); err != nil {
				return err
			}
		}
		s := st.Step
		last := s == l.Steps
		if h.OnEval != nil && (last || h.EvalEvery > 0 && s%h.EvalEvery == 0) {
			if err := h.OnEval(st); err != nil {
				return err
			}
		}
		if h.Save != nil && (last || h.SaveEvery > 0 && s%h.SaveEvery == 0) {
			if err := h.Save(); err != nil {
				return err
			}
		}
	}
	return nil
}

// StepStats describes one optimizer update.
type StepStats struct {
	Step     int     // updates done after this one
	Loss     float64 // mean training NLL over the update's micro-batches
	LR       float64 // learning rate used
	GradNorm float64 // global gradient norm before clipping
}
