package runner

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// LMNumerics returns the numerics fingerprint of the code that runs spec:
// every arm of spec trained as lmFingerprintConfig says (two layers of
// d_model 8 with the spec's conv width and optimizer, 8 updates of 2
// sequences of 16 tokens, two of them warm-up, clipping active) on a fixed
// synthetic corpus, hashing every training loss and gradient norm, the final
// validation and test NLL, μ's spectra and the skip statistics. It takes
// well under a second; any change to the arithmetic, the initialization,
// the data order, the schedule, the clipping or the CPU kernel changes it, a
// comment or a rename does not.
func LMNumerics(ctx context.Context, spec lm.Spec) (string, error) {
	return lmNumerics(ctx, spec, train.Run)
}

// lmNumerics is LMNumerics with the run function as a parameter (tests perturb
// it to show that any change of a number changes the fingerprint).
func lmNumerics(ctx context.Context, spec lm.Spec, run func(context.Context, lmrun.Config, *text.Corpus, train.RunOptions) (lmrun.Result, error)) (string, error) {
	c := fingerprintCorpus()
	var series [][]float64
	for _, a := range spec.Arms {
		cfg := lmFingerprintConfig(spec, a, c.Vocab.Size())
		var losses []float64
		r, err := run(ctx, cfg, c, train.RunOptions{Hooks: train.Hooks{OnStep: func(s optim.StepStats) {
			losses = append(losses, s.Loss, s.GradNorm)
		}}})
		if err != nil {
			return "", fmt.Errorf("lm: numerics fingerprint, arm %s: %w", a.Name, err)
		}
		s := append(losses, r.Valid.NLL, r.Test.NLL)
		for _, sp := range r.Spectra {
			s = append(append(s, sp.Real...), sp.Imag...)
		}
		for _, k := range r.Skip {
			s = append(s, k.Mean, k.Min, k.Max)
		}
		series = append(series, s)
	}
	return experiment.Fingerprint(series...), nil
}

// lmFingerprintConfig is the run of arm a in LMNumerics: spec's base
// configuration (optimizer, decay groups, dropout, conv width, state size
// capped at 4, the arm's weight decay) on a two-layer d_model 8 model, 8 updates of 2 × 16 tokens,
// the warm-up stretched to 2 updates and the clipping threshold lowered to
// 0.05 (when the spec clips at all), so that the fingerprint runs the
// warm-up, the clipping and a layer-to-layer path.
func lmFingerprintConfig(spec lm.Spec, a lm.Arm, vocab int) lmrun.Config {
	cfg := spec.Base
	b := spec.Base.Model
	cfg.Model = model.LMConfig{DModel: 8, NLayer: 2, DState: min(max(b.DState, 1), 4), DConv: b.DConv, Expand: b.Expand,
		Param: a.Param, ZeroSkip: a.ZeroSkip, Dropout: b.Dropout, Vocab: vocab}
	if cfg.Model.DConv == 0 {
		cfg.Model.DConv = 4 // Mamba's default, as model.LMConfig reads 0
	}
	cfg.Data.SeqLen = 16
	cfg.Epochs, cfg.Threads, cfg.Seed, cfg.FinalEvalWindows = 0, 1, 7, 8
	cfg.Train.Steps, cfg.Train.Batch, cfg.Train.Accum, cfg.Train.Seed = 8, 2, 1, 7
	cfg.Train.WarmupFrac = 0.25
	if a.WeightDecay > 0 {
		cfg.Train.WeightDecay = a.WeightDecay
	}
	if cfg.Train.Clip > 0 {
		cfg.Train.Clip = min(cfg.Train.Clip, 0.05)
	}
	cfg.Train.EvalEvery, cfg.Train.EvalWindows, cfg.Train.EvalBatch = 4, 4, 4
	cfg.Train.CheckpointDir, cfg.Train.CheckpointEvery = "", 0
	return cfg
}

// fingerprintCorpus is a fixed pseudo-random bigram text over 12 symbols.
func fingerprintCorpus() *text.Corpus {
	rng := rand.New(rand.NewPCG(3, 5))
	s := make([]byte, 3000)
	for i := 1; i < len(s); i++ {
		s[i] = byte((int(s[i-1])*5 + rng.IntN(3)) % 12)
	}
	c, err := text.FromTokens("fingerprint", 12, s[:2400], s[2400:2700], s[2700:])
	if err != nil {
		panic(err) // 12 symbols, every id below 12
	}
	return c
}

// LMKey returns the cache key of spec (hash) and its numerics fingerprint.
// Parallel and Threads are left out of it: they change no result.
func LMKey(ctx context.Context, s lm.Spec) (hash, numerics string, err error) {
	numerics, err = LMNumerics(ctx, s)
	if err != nil {
		return "", "", err
	}
	data, err := lmrun.CorpusDigest(s.Base.Data)
	if err != nil {
		return "", "", err
	}
	b, err := s.SpecJSON()
	if err != nil {
		return "", "", err
	}
	return experiment.Key{Spec: b, Data: data, Numerics: numerics}.Hash(), numerics, nil
}
