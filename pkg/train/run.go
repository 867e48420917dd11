package train

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// RunOptions are the optional parts of Run.
type RunOptions struct {
	Hooks
	// Resume, when not empty, continues the run from the checkpoint in this
	// directory (written by a run of the same configuration).
	Resume string
}

// Run trains one configuration on corpus and returns its result: the final
// validation and test passes (capped at cfg.FinalEvalWindows windows), the
// history and the spectra of μ = S_Cᵀ S_B. cfg.Seed draws the weights,
// cfg.Train.Seed the data order and dropout. Checkpoints go to
// cfg.Train.CheckpointDir when set, with the configuration as JSON in the
// metadata "tokendyn.config" (ConfigFromCheckpoint).
func Run(ctx context.Context, cfg lmrun.Config, corpus *text.Corpus, ro RunOptions) (lmrun.Result, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return lmrun.Result{}, err
	}
	var split [3]*Windows[byte]
	for s := range split {
		ids, err := corpus.Tokens(text.Split(s))
		if err != nil {
			return lmrun.Result{}, fmt.Errorf("train: %w", err)
		}
		if split[s], err = NewWindows(ids, cfg.Data.SeqLen); err != nil {
			return lmrun.Result{}, fmt.Errorf("train: %s split: %w", text.Split(s), err)
		}
	}
	trW, vaW, teW := split[text.Train], split[text.Valid], split[text.Test]
	switch vocab := corpus.Vocab.Size(); {
	case cfg.Model.Vocab == 0:
		cfg.Model.Vocab = vocab
	case cfg.Model.Vocab != vocab:
		return lmrun.Result{}, fmt.Errorf("train: vocab_size %d, but corpus %s has %d token ids", cfg.Model.Vocab, corpus.Name, vocab)
	}
	if cfg.Epochs > 0 {
		cfg.Train.Steps = lmrun.StepsForEpochs(cfg.Epochs, trW.Count(), cfg.Train.Batch, cfg.Train.Accum)
	}
	m, err := NewLM(cfg.Model, cfg.Seed, cfg.Threads)
	if err != nil {
		return lmrun.Result{}, err
	}
	tn, err := NewTrainer(m, trW, vaW, cfg.Train)
	if err != nil {
		return lmrun.Result{}, err
	}
	tn.Aliases = checkpoint.MambaLMAliases()
	cj, err := json.Marshal(cfg)
	if err != nil {
		return lmrun.Result{}, fmt.Errorf("train: %w", err)
	}
	tn.Meta = map[string]string{"tokendyn.config": string(cj)}
	if ro.Resume != "" {
		ck, err := tn.Resume(ro.Resume)
		if err != nil {
			return lmrun.Result{}, err
		}
		if err := checkSameRun(ck, cfg); err != nil {
			return lmrun.Result{}, fmt.Errorf("train: resume %s: %w", ro.Resume, err)
		}
	}
	if err := tn.Run(ctx, ro.Hooks); err != nil {
		return lmrun.Result{}, err
	}
	eb := cfg.Train.EvalBatch
	if eb == 0 {
		eb = cfg.Train.Batch
	}
	valid, err := Evaluate(m, vaW, eb, cfg.FinalEvalWindows)
	if err != nil {
		return lmrun.Result{}, fmt.Errorf("train: final validation: %w", err)
	}
	test, err := Evaluate(m, teW, eb, cfg.FinalEvalWindows)
	if err != nil {
		return lmrun.Result{}, fmt.Errorf("train: final test: %w", err)
	}
	spectra, err := m.MuSpectra()
	if err != nil {
		return lmrun.Result{}, err
	}
	skip, err := m.SkipStats()
	if err != nil {
		return lmrun.Result{}, err
	}
	return lmrun.Result{
		Scenario: cfg.Model.Param, Seed: cfg.Seed, Params: CountParams(m.Params()), Tokens: tn.State.Tokens,
		Seconds: time.Since(start).Seconds(), Valid: valid, Test: test, Curve: tn.State.History, Spectra: spectra, Skip: skip,
		DecayIntegral: tn.Sched.Integral(cfg.Train.Steps) * cfg.Train.WeightDecay,
	}, nil
}
