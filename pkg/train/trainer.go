package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// State is what a checkpoint holds besides the weights and the optimizer
// moments, so that a resumed run continues the same history.
type State struct {
	Step     int           `json:"step"`
	Tokens   int64         `json:"tokens"`
	History  []lmrun.Point `json:"history"`
	LossSum  float64       `json:"loss_sum"`
	LossN    int           `json:"loss_n"`
	Seconds  float64       `json:"seconds"`
	Finished bool          `json:"finished"`
}

// Hooks are optional callbacks of Run.
type Hooks struct {
	OnStep       func(optim.StepStats)
	OnEval       func(lmrun.Point)
	OnCheckpoint func(step int, dir string)
}

// Trainer trains one language model on one token stream through Loop
// (docs/paper.md §6.1's loop: accumulate Accum micro-batch gradients,
// average, clip the global norm, AdamW with the cosine learning rate of
// the update). It adds what is particular to the LMs: windows of tokens
// as the batch source, the count of tokens seen, perplexity evaluations
// every EvalEvery updates, checkpoints and resumption.
type Trainer[T mamba.Float, E Token] struct {
	Model  Model[T]
	Opt    *optim.AdamW[T]
	Sched  optim.Cosine
	Opts   lmrun.Options
	Train  *Windows[E]
	Valid  *Windows[E]
	State  State
	Params []*model.Param[T]

	// Meta is stored in the checkpoints' metadata (for example the JSON
	// model configuration under "tokendyn.config").
	Meta map[string]string
	// Aliases are extra checkpoint tensors copied from a parameter
	// (checkpoint.MambaLMAliases for the tied head of the Mamba LM).
	Aliases map[string]string

	order    *optim.Order
	replicas []Model[T]
	bufs     [][]int32
	start    time.Time
}

// NewTrainer checks the options and the data and returns a trainer at step 0.
func NewTrainer[T mamba.Float, E Token](mdl Model[T], trainW, validW *Windows[E], opts lmrun.Options) (*Trainer[T, E], error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if trainW == nil || validW == nil {
		return nil, fmt.Errorf("train: need training and validation windows")
	}
	if trainW.Count() < 1 || validW.Count() < 1 {
		return nil, fmt.Errorf("train: empty split (train %d windows, valid %d)", trainW.Count(), validW.Count())
	}
	ps := mdl.Params()
	opt, err := optim.NewAdamW(ps, opts.Beta1, opts.Beta2, opts.Eps, opts.WeightDecay)
	if err != nil {
		return nil, err
	}
	opt.DecayAll = opts.DecayGroups != model.DecayMamba
	if w, ok := mdl.(interface{ Workers() int }); ok {
		opt.Workers = w.Workers() // the update on the model's goroutines too
	}
	sched := Schedule(opts)
	if err := sched.Validate(); err != nil {
		return nil, err
	}
	return &Trainer[T, E]{
		Model: mdl, Opt: opt, Sched: sched, Opts: opts,
		Train: trainW, Valid: validW, Params: ps,
		order: optim.NewOrder(trainW.Count(), opts.Seed),
	}, nil
}

// SetReplicas makes the trainer compute micro-batches in parallel: every
// replica is a model of the same architecture whose weights are made to
// share the trainer's model's W slices (its own G stays separate). With
// k replicas, k+1 micro-batches run at once; Accum should be a multiple of
// k+1. Gradients are summed in a fixed order, so the result does not depend
// on the scheduling of the goroutines (it does depend on k, by rounding).
func (t *Trainer[T, E]) SetReplicas(reps []Model[T]) error {
	for r, m := range reps {
		ps := m.Params()
		if len(ps) != len(t.Params) {
			return fmt.Errorf("train: replica %d has %d params, model has %d", r, len(ps), len(t.Params))
		}
		for i, p := range ps {
			q := t.Params[i]
			if p.Name != q.Name || len(p.W) != len(q.W) {
				return fmt.Errorf("train: replica %d param %d is %s[%d], model has %s[%d]", r, i, p.Name, len(p.W), q.Name, len(q.W))
			}
			p.W = q.W
		}
	}
	t.replicas = reps
	return nil
}

// loop is the trainer's view of the training loop: its model and replicas
// as the workers, its training windows in the seeded order as the batch
// source (Order caches one epoch's permutation at a time), Model.Loss as
// the loss.
func (t *Trainer[T, E]) loop() *optim.Loop[T] {
	o := t.Opts
	reps := make([][]*model.Param[T], len(t.replicas))
	for r, m := range t.replicas {
		reps[r] = m.Params()
	}
	for len(t.bufs) < o.Accum {
		t.bufs = append(t.bufs, make([]int32, o.Batch*(t.Train.L+1)))
	}
	return &optim.Loop[T]{
		Opt: t.Opt, Params: t.Params, Replicas: reps, Sched: t.Sched,
		Steps: o.Steps, Accum: o.Accum, Clip: o.Clip, Seed: o.Seed,
		Name: "train",
		Batches: optim.BatchFunc(func(update, j int) {
			Batch(t.Train, t.order, update*o.Accum+j, o.Batch, t.bufs[j])
		}),
		Loss: func(w, j int, rng *rand.Rand) (float64, error) {
			m := t.Model
			if w > 0 {
				m = t.replicas[w-1]
			}
			return m.Loss(t.bufs[j], o.Batch, true, rng)
		},
	}
}

// record counts an update in the state.
func (t *Trainer[T, E]) record(st optim.StepStats) {
	t.State.Step = st.Step
	t.State.Tokens += int64(t.Opts.Accum * t.Opts.Batch * t.Train.L)
	t.State.LossSum += st.Loss
	t.State.LossN++
}

// Step performs one optimizer update.
func (t *Trainer[T, E]) Step() (optim.StepStats, error) {
	st, err := t.loop().Step()
	if err != nil {
		return optim.StepStats{}, err
	}
	t.record(st)
	return st, nil
}

// Evaluate runs a validation pass with the options' cap and batch.
func (t *Trainer[T, E]) Evaluate() (lmrun.Eval, error) {
	b := t.Opts.EvalBatch
	if b == 0 {
		b = t.Opts.Batch
	}
	return Evaluate(t.Model, t.Valid, b, t.Opts.EvalWindows)
}

func (t *Trainer[T, E]) seconds() float64 {
	return t.State.Seconds + time.Since(t.start).Seconds()
}

// Run trains until Opts.Steps updates are done, evaluating every EvalEvery
// updates and at the end, and checkpointing every CheckpointEvery updates and
// at the end when CheckpointDir is set. It stops early with ctx's error when
// ctx is cancelled (after writing a checkpoint if CheckpointDir is set).
func (t *Trainer[T, E]) Run(ctx context.Context, h Hooks) error {
	t.start = time.Now()
	o := t.Opts
	l := t.loop()
	l.Hooks = optim.LoopHooks{
		OnUpdate: func(st optim.StepStats) error {
			t.record(st)
			if h.OnStep != nil {
				h.OnStep(st)
			}
			if st.Step == o.Steps {
				t.State.Finished = true
			}
			return nil
		},
		EvalEvery: o.EvalEvery,
		OnEval: func(st optim.StepStats) error {
			ev, err := t.Evaluate()
			if err != nil {
				return fmt.Errorf("train: evaluation after step %d: %w", st.Step, err)
			}
			p := lmrun.Point{Step: st.Step, Tokens: t.State.Tokens, LR: st.LR, Valid: ev, Seconds: t.seconds()}
			if t.State.LossN > 0 {
				p.TrainLoss = t.State.LossSum / float64(t.State.LossN)
			}
			t.State.LossSum, t.State.LossN = 0, 0
			t.State.History = append(t.State.History, p)
			if h.OnEval != nil {
				h.OnEval(p)
			}
			return nil
		},
	}
	if o.CheckpointDir != "" {
		l.Hooks.SaveEvery = o.CheckpointEvery
		l.Hooks.Save = func() error { return t.checkpoint(h) }
	}
	return l.Run(ctx)
}

func (t *Trainer[T, E]) checkpoint(h Hooks) error {
	st := t.State
	st.Seconds = t.seconds()
	if err := checkpoint.SaveTraining(t.Opts.CheckpointDir, t.Opt, st, t.Opts, t.Meta, t.Aliases); err != nil {
		return err
	}
	if h.OnCheckpoint != nil {
		h.OnCheckpoint(t.State.Step, t.Opts.CheckpointDir)
	}
	return nil
}

// Resumed is what Resume read from a checkpoint besides the tensors.
type Resumed struct {
	Step    int
	State   State
	Options lmrun.Options
	Meta    map[string]string // the model file's metadata
}

// Resume loads the checkpoint in dir (weights, moments, step, history) into
// the trainer. The checkpoint's optimization settings must equal the
// trainer's (the evaluation and checkpoint settings may differ), otherwise
// the continued run would not be the run that was interrupted.
func (t *Trainer[T, E]) Resume(dir string) (*Resumed, error) {
	ck := &Resumed{}
	saved, err := checkpoint.LoadTraining(dir, t.Opt, t.Aliases, &ck.State, &ck.Options)
	if err != nil {
		return nil, err
	}
	ck.Step, ck.Meta = saved.Step, saved.Meta
	if a, b := ck.Options.TrainingPart(), t.Opts.TrainingPart(); a != b {
		return nil, fmt.Errorf("train: resume %s: checkpoint was trained with %+v, this run has %+v", dir, a, b)
	}
	if ck.Step > t.Opts.Steps {
		return nil, fmt.Errorf("train: resume %s: checkpoint is at step %d, beyond the run's %d steps", dir, ck.Step, t.Opts.Steps)
	}
	t.State = ck.State
	return ck, nil
}
