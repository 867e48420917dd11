package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/tokendyn/tokendyn/internal/kernels"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// benchTrain implements `tokendyn bench train`: it times full training
// updates (forward, backward, clipping, AdamW; pkg/train.BenchTrain) of a
// byte-level Mamba LM on random tokens and prints tokens per second per
// repetition and their median, with the FLOP rate and its fraction of the
// machine's FMA peak measured first (model.FMAPeak on the same threads);
// the last line is tokens_per_s=<median>.
// The defaults are the sizes of the scaled experiment with one thread, the
// setting the experiment was sized with.
func benchTrain(args []string, stdout, stderr io.Writer) int {
	base, _ := lmrun.Preset("scaled")
	fs := newFlagSet("bench train", stderr, benchTrainHelp)
	dModel := fs.Int("d-model", base.Model.DModel, "model width d_model")
	layers := fs.Int("layers", base.Model.NLayer, "number of Mamba blocks")
	seq := fs.Int("seq", base.Data.SeqLen, "sequence length L")
	batch := fs.Int("batch", base.Train.Batch, "sequences per update")
	steps := fs.Int("steps", 10, "timed updates per repetition (after one warm-up update)")
	reps := fs.Int("reps", 3, "repetitions")
	threads := fs.Int("threads", 1, "goroutines of the scan and GOMAXPROCS")
	param := fs.String("param", "pos", "x_proj parametrization: none, pos, neg or mixed")
	phases := fs.Bool("phases", true, "profile one more repetition (4× the updates) and print the per-phase breakdown")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	bad := ""
	switch {
	case fs.NArg() > 0:
		bad = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case *dModel < 1 || *layers < 1 || *seq < 1 || *batch < 1 || *steps < 1 || *reps < 1 || *threads < 1:
		bad = "--d-model, --layers, --seq, --batch, --steps, --reps and --threads must be positive"
	case *dModel**seq**batch > 1<<26:
		bad = fmt.Sprintf("d_model·seq·batch = %d is too large for a benchmark (max %d)", *dModel**seq**batch, 1<<26)
	case !slices.Contains(lmrun.Parametrizations(), *param):
		bad = fmt.Sprintf("--param %q: want one of %v", *param, lmrun.Parametrizations())
	}
	if bad != "" {
		fmt.Fprintf(stderr, "tokendyn bench train: %s\n", bad)
		fs.Usage()
		return 2
	}
	prev := runtime.GOMAXPROCS(*threads)
	defer runtime.GOMAXPROCS(prev)
	cfg := train.BenchConfig{DModel: *dModel, Layers: *layers, SeqLen: *seq, Batch: *batch, Steps: *steps, Threads: *threads, Param: *param}
	fmt.Fprintf(stdout, "bench train: d_model %d, %d layers, seq %d, batch %d, param %s, %d threads, %d updates × %d reps\n",
		cfg.DModel, cfg.Layers, cfg.SeqLen, cfg.Batch, cfg.Param, cfg.Threads, cfg.Steps, *reps)
	fmt.Fprintf(stdout, "kernels: %s\n", kernels.Note())
	peak, kernel := model.FMAPeak(cfg.Threads, 500*time.Millisecond)
	fmt.Fprintf(stdout, "FMA peak: %.1f GFLOP/s on %d threads (%s loop)\n", peak, cfg.Threads, kernel)
	var tps, cps, gfs []float64
	for r := 0; r < *reps; r++ {
		res, err := train.BenchTrain(context.Background(), cfg)
		if err != nil {
			fmt.Fprintf(stderr, "tokendyn bench train: %v\n", err)
			return 1
		}
		if r == 0 {
			fmt.Fprintf(stdout, "parameters: %d; %.3f MFLOP per token (products %.3f, scan %.3f)\n", res.Params,
				(res.GEMMFLOPs+res.ScanFLOPs)/1e6, res.GEMMFLOPs/1e6, res.ScanFLOPs/1e6)
		}
		fmt.Fprintf(stdout, "rep %d: %d tokens in %.3f s = %.0f tokens/s, %.1f GFLOP/s = %.1f%% of peak (%.3f s of CPU = %.0f tokens per CPU second)\n",
			r+1, res.Tokens, res.Seconds, res.TokensPerSec, res.GFLOPs, 100*res.GFLOPs/peak, res.CPUSeconds, res.TokensPerCPUSec)
		tps = append(tps, res.TokensPerSec)
		cps = append(cps, res.TokensPerCPUSec)
		gfs = append(gfs, res.GFLOPs)
	}
	if *phases {
		pc := cfg
		pc.Steps = 4 * cfg.Steps
		share, n, err := profilePhases(cfg.Threads, func() error {
			_, err := train.BenchTrain(context.Background(), pc)
			return err
		})
		if err != nil {
			fmt.Fprintf(stderr, "tokendyn bench train: phases: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "phases (CPU profile of one more repetition of %d updates, model build and warm-up included; %d samples; %% of %d threads × wall time):\n",
			pc.Steps, n, cfg.Threads)
		for i, name := range phaseNames {
			fmt.Fprintf(stdout, "  %-24s %5.1f%%\n", name, 100*share[i])
		}
	}
	med := median(tps)
	fmt.Fprintf(stdout, "median %.0f tokens/s (wall), %.1f GFLOP/s = %.1f%% of the FMA peak, %.0f tokens per CPU second\n",
		med, median(gfs), 100*median(gfs)/peak, median(cps))
	fmt.Fprintf(stdout, "tokens_per_s=%.1f\n", med)
	return 0
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// benchTrainHelp is the text of `tokendyn bench train -h` above the flags.
const benchTrainHelp = `Usage: tokendyn bench train [--d-model D] [--layers N] [--seq L] [--batch B] [--steps S] [--reps R] [--threads T] [--param P]

Times full training updates (forward, backward, clipping, AdamW) of a byte-level Mamba LM
(d_state 16, d_conv 4, expand 2) on random tokens. Prints tokens/s per repetition and the
median, with GFLOP/s (model.LMConfig.TrainFLOPs per token) and its fraction of the FMA peak
measured by a short FMA loop on the same threads; the last line is tokens_per_s=<median>. Other processes on the cores slow the wall-clock
figure down; tokens per CPU second (also printed) is not affected by them. With --phases
(the default) one more repetition of 4× the updates runs under the CPU profiler and its
time is broken down into forward GEMMs, scan forward, scan backward, backward GEMMs,
elementwise/activations, optimizer, runtime (GC, alloc) and sync/idle. The kernel path
(internal/kernels: TOKENDYN_KERNELS=purego|avx2|avx512, default the widest) is printed.`
