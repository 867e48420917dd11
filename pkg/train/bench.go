package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tokendyn/tokendyn/internal/cputime"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// BenchConfig is a training-throughput measurement: a Mamba LM of the given
// shape (d_state 16, d_conv 4, expand 2, the 96-symbol GCIDE vocabulary)
// trained for Steps optimizer updates on random tokens.
type BenchConfig struct {
	DModel, Layers, SeqLen, Batch, Steps, Threads int
	Param                                         string
}

// BenchResult is the measured throughput.
//
// TokensPerSec is tokens per second of wall time, which drops when other
// processes share the cores. TokensPerCPUSec is tokens per second of this
// process's CPU time (user + system, all its threads), which does not: with
// one thread it is the speed one dedicated core would give, and it is what
// the experiment was sized with. It is 0 where CPU time cannot be read.
//
// GEMMFLOPs and ScanFLOPs are the arithmetic per predicted token of the
// products and of the scan (model.LMConfig.TrainFLOPs); GFLOPs is their sum
// times TokensPerSec.
type BenchResult struct {
	Params          int
	GEMMFLOPs       float64 // per token
	ScanFLOPs       float64 // per token
	GFLOPs          float64 // GFLOP/s of wall time
	Tokens          int64   // predicted tokens processed in the timed steps
	Seconds         float64 // wall time of the timed steps
	CPUSeconds      float64 // CPU time of the process during the timed steps
	TokensPerSec    float64
	TokensPerCPUSec float64
}

// BenchTrain builds the model, runs one untimed warm-up update (buffers grow
// to their size), then times cfg.Steps full updates (forward, backward,
// clipping, AdamW) and reports predicted tokens per second of wall time.
func BenchTrain(ctx context.Context, cfg BenchConfig) (BenchResult, error) {
	if cfg.DModel < 1 || cfg.Layers < 1 || cfg.SeqLen < 1 || cfg.Batch < 1 || cfg.Steps < 1 || cfg.Threads < 0 {
		return BenchResult{}, fmt.Errorf("train: bench: sizes must be positive, got %+v", cfg)
	}
	mc := model.LMConfig{DModel: cfg.DModel, NLayer: cfg.Layers, Vocab: 96, DState: 16, DConv: 4, Expand: 2, Param: cfg.Param}
	m, err := NewLM(mc, 1, cfg.Threads)
	if err != nil {
		return BenchResult{}, err
	}
	rng := rand.New(rand.NewPCG(2, 2))
	stream := make([]uint8, (cfg.Steps+1)*cfg.Batch*cfg.SeqLen+1)
	for i := range stream {
		stream[i] = uint8(rng.IntN(96))
	}
	w, err := NewWindows(stream, cfg.SeqLen)
	if err != nil {
		return BenchResult{}, err
	}
	o := lmrun.DefaultOptions()
	o.Steps, o.Batch = cfg.Steps+1, cfg.Batch
	tn, err := NewTrainer(m, w, w, o)
	if err != nil {
		return BenchResult{}, err
	}
	if _, err := tn.Step(); err != nil {
		return BenchResult{}, err
	}
	start, cpu0 := time.Now(), cputime.Process()
	for s := 0; s < cfg.Steps; s++ {
		if err := ctx.Err(); err != nil {
			return BenchResult{}, err
		}
		if _, err := tn.Step(); err != nil {
			return BenchResult{}, err
		}
	}
	sec, cpu1 := time.Since(start).Seconds(), cputime.Process()
	tok := int64(cfg.Steps * cfg.Batch * cfg.SeqLen)
	r := BenchResult{Params: CountParams(m.Params()), Tokens: tok, Seconds: sec, TokensPerSec: float64(tok) / sec}
	r.GEMMFLOPs, r.ScanFLOPs = m.Config().TrainFLOPs()
	r.GFLOPs = (r.GEMMFLOPs + r.ScanFLOPs) * r.TokensPerSec / 1e9
	if cpu0 >= 0 && cpu1 > cpu0 {
		r.CPUSeconds = cpu1 - cpu0
		r.TokensPerCPUSec = float64(tok) / r.CPUSeconds
	}
	return r, nil
}
