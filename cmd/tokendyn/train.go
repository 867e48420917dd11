package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/progress"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// trainOverride is one flag that overrides a field of the configuration;
// arg is its kind: "N" (integer), "X" (number) or "NAME" (string).
type trainOverride struct {
	name, arg, usage string
	apply            func(c *lmrun.Config, v string) error
}

func intField(f func(c *lmrun.Config) *int) func(*lmrun.Config, string) error {
	return func(c *lmrun.Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not an integer: %q", v)
		}
		*f(c) = n
		return nil
	}
}

func floatField(f func(c *lmrun.Config) *float64) func(*lmrun.Config, string) error {
	return func(c *lmrun.Config, v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("not a number: %q", v)
		}
		*f(c) = x
		return nil
	}
}

func trainOverrides() []trainOverride {
	return []trainOverride{
		{"data", "NAME", "corpus: gcide (Debian's dict-gcide) or wikitext103", func(c *lmrun.Config, v string) error { c.Data.Name = v; return nil }},
		{"data-dir", "NAME", "`DIR` holding the corpus files (gcide: /usr/share/dictd)", func(c *lmrun.Config, v string) error { c.Data.Dir = v; return nil }},
		{"param", "NAME", "x_proj parametrization of refinement 1: none, pos, neg or mixed", func(c *lmrun.Config, v string) error { c.Model.Param = v; return nil }},
		{"d-model", "N", "model width d_model", intField(func(c *lmrun.Config) *int { return &c.Model.DModel })},
		{"layers", "N", "number of Mamba blocks n_layer", intField(func(c *lmrun.Config) *int { return &c.Model.NLayer })},
		{"d-state", "N", "state size N", intField(func(c *lmrun.Config) *int { return &c.Model.DState })},
		{"d-conv", "N", "causal convolution width", intField(func(c *lmrun.Config) *int { return &c.Model.DConv })},
		{"expand", "N", "d_inner / d_model", intField(func(c *lmrun.Config) *int { return &c.Model.Expand })},
		{"dropout", "X", "dropout on the final hidden states", floatField(func(c *lmrun.Config) *float64 { return &c.Model.Dropout })},
		{"seq", "N", "sequence length L (tokens = bytes)", intField(func(c *lmrun.Config) *int { return &c.Data.SeqLen })},
		{"batch", "N", "sequences per micro-batch", intField(func(c *lmrun.Config) *int { return &c.Train.Batch })},
		{"accum", "N", "micro-batches accumulated per update (global batch = batch·accum)", intField(func(c *lmrun.Config) *int { return &c.Train.Accum })},
		{"steps", "N", "optimizer updates (clears the preset's epochs; --epochs wins)", func(c *lmrun.Config, v string) error {
			c.Epochs = 0
			return intField(func(c *lmrun.Config) *int { return &c.Train.Steps })(c, v)
		}},
		{"epochs", "X", "epochs over the training split (sets the number of updates)", floatField(func(c *lmrun.Config) *float64 { return &c.Epochs })},
		{"lr", "X", "peak learning rate", floatField(func(c *lmrun.Config) *float64 { return &c.Train.LR })},
		{"weight-decay", "X", "AdamW weight decay", floatField(func(c *lmrun.Config) *float64 { return &c.Train.WeightDecay })},
		{"warmup", "X", "fraction of the updates spent warming up", floatField(func(c *lmrun.Config) *float64 { return &c.Train.WarmupFrac })},
		{"clip", "X", "maximal global gradient norm (0: no clipping)", floatField(func(c *lmrun.Config) *float64 { return &c.Train.Clip })},
		{"seed", "N", "seed of the weights, the data order and the dropout", func(c *lmrun.Config, v string) error {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return fmt.Errorf("not a non-negative integer: %q", v)
			}
			c.Seed, c.Train.Seed = n, n
			return nil
		}},
		{"eval-every", "N", "updates between validation passes (0: only at the end)", intField(func(c *lmrun.Config) *int { return &c.Train.EvalEvery })},
		{"eval-windows", "N", "validation windows per pass (0: the whole split)", intField(func(c *lmrun.Config) *int { return &c.Train.EvalWindows })},
		{"checkpoint-every", "N", "updates between checkpoints (0: only at the end)", intField(func(c *lmrun.Config) *int { return &c.Train.CheckpointEvery })},
		{"threads", "N", "goroutines of the scan and GOMAXPROCS (0: all cores)", intField(func(c *lmrun.Config) *int { return &c.Threads })},
	}
}

// runTrain implements `tokendyn train`: one training run of a Mamba LM
// (pkg/train.Run), configured by a preset, a JSON file and flags, in that
// order of precedence (flags win). It prints an evaluation line every
// eval-every updates, writes checkpoints and result.json into --out, and
// resumes with --resume DIR.
//
// Exit status: 0 ok; 1 when training fails or is interrupted (a checkpoint is
// written first); 2 for a usage error (unknown flag, bad value).
//
// `tokendyn train vision ...` is the classifier of refinement 2 instead
// (runTrainVision).
func runTrain(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "vision" {
		return runTrainVision(args[1:], stdout, stderr)
	}
	fs := newFlagSet("train", stderr, trainHelp)
	var f trainFlags
	fs.StringVar(&f.preset, "preset", "scaled", "starting configuration: "+fmt.Sprint(lmrun.Presets()))
	fs.BoolVar(&f.quick, "quick", false, "a smoke run in seconds: the same as --preset tiny (as figures --quick and train vision --quick)")
	fs.StringVar(&f.configPath, "config", "", "JSON configuration `file` (pkg/lmrun.Config) applied over the preset")
	fs.StringVar(&f.resume, "resume", "", "continue the run whose checkpoint is in `DIR` (its configuration is used)")
	fs.StringVar(&f.out, "out", "", "`DIR` for checkpoints and result.json (default runs/train-PARAM-seedSEED)")
	printConfig := fs.Bool("print-config", false, "print the resolved configuration as JSON and exit")
	force := fs.Bool("force", false, "train into --out even if it holds the checkpoint of another run (replacing it)")
	overrides := trainOverrides()
	defineOverrides(fs, overrides)
	memory := memoryFlag(fs)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		return trainUsage(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	set := map[string]string{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = fl.Value.String() })

	cfg, code, done := trainBaseConfig(fs, f, set, stderr)
	if done {
		return code
	}
	if err := applyOverrides(&cfg, overrides, set); err != nil {
		return trainUsage(fs, stderr, "%v", err)
	}
	if err := cfg.Validate(); err != nil {
		return trainUsage(fs, stderr, "%v", err)
	}
	out := trainOutDir(f, cfg)
	cfg.Train.CheckpointDir = out
	if *printConfig {
		b, _ := json.MarshalIndent(cfg, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return 0
	}
	// The checkpoint pointer of --resume is replaced by design; the
	// configuration file and the corpus must never be.
	inputs := trainInputs(f.configPath, cfg)
	if err := checkTrainTarget(cfg, *memory, out, f.resume != "" || *force, inputs); err != nil {
		fmt.Fprintf(stderr, "tokendyn train: %v\n", err)
		return 1
	}
	if cfg.Threads > 0 {
		runtime.GOMAXPROCS(cfg.Threads)
	}
	if err := trainRun(cfg, f.resume, inputs, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "tokendyn train: %s\n", errorLine(err))
		return exitCode(err)
	}
	return 0
}

// trainFlags are the values of train's flags that choose the base
// configuration and the output directory.
type trainFlags struct {
	preset, configPath, resume, out string
	quick                           bool
}

// defineOverrides defines one flag per override on fs; their defaults come
// from the preset, so the flags' own are never read.
func defineOverrides(fs *flag.FlagSet, overrides []trainOverride) {
	for _, o := range overrides {
		usage := o.usage + " (default: from the preset)"
		switch o.arg {
		case "N":
			fs.Int(o.name, 0, usage)
		case "X":
			fs.Float64(o.name, 0, usage)
		default:
			fs.String(o.name, "", usage)
		}
	}
}

// trainUsage prints a usage error of tokendyn train and the usage text, and
// returns exit status 2.
func trainUsage(fs *flag.FlagSet, stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "tokendyn train: "+format+"\n", a...)
	fs.Usage()
	return 2
}

// trainBaseConfig is the configuration before the override flags: the
// checkpoint's with --resume, else the preset's (tiny with --quick) with
// the --config file applied. set holds the flags given. On failure it
// prints the error and returns the exit status and done.
func trainBaseConfig(fs *flag.FlagSet, f trainFlags, set map[string]string, stderr io.Writer) (cfg lmrun.Config, code int, done bool) {
	var err error
	if f.resume != "" {
		for name := range set {
			if !slices.Contains([]string{"resume", "threads", "memory"}, name) {
				return cfg, trainUsage(fs, stderr, "--resume takes the configuration from the checkpoint; --%s cannot be given with it", name), true
			}
		}
		if cfg, err = train.ConfigFromCheckpoint(f.resume); err != nil {
			fmt.Fprintf(stderr, "tokendyn train: %v\n", err)
			return cfg, 1, true
		}
		return cfg, 0, false
	}
	preset := f.preset
	if f.quick {
		if p, ok := set["preset"]; ok && p != "tiny" {
			return cfg, trainUsage(fs, stderr, "--quick is --preset tiny; it cannot be given with --preset %s", p), true
		}
		preset = "tiny"
	}
	if cfg, err = lmrun.Preset(preset); err != nil {
		return cfg, trainUsage(fs, stderr, "%v", err), true
	}
	if f.configPath != "" {
		if cfg, err = lmrun.ReadConfig(f.configPath, cfg); err != nil {
			// A missing or invalid file is a bad input, not a usage
			// error: exit 1, one line, no usage text.
			fmt.Fprintf(stderr, "tokendyn train: %s\n", errorLine(err))
			return cfg, 1, true
		}
	}
	return cfg, 0, false
}

// applyOverrides applies to cfg the override flags given (set).
func applyOverrides(cfg *lmrun.Config, overrides []trainOverride, set map[string]string) error {
	for _, o := range overrides {
		if v, ok := set[o.name]; ok {
			if err := o.apply(cfg, v); err != nil {
				return fmt.Errorf("--%s: %w", o.name, err)
			}
		}
	}
	return nil
}

// trainOutDir is the run's directory: the checkpoint's with --resume, else
// --out, else checkpoint_dir of --config, else runs/train-PARAM-seedSEED.
func trainOutDir(f trainFlags, cfg lmrun.Config) string {
	switch {
	case f.resume != "":
		return f.resume
	case f.out != "":
		return f.out
	case cfg.Train.CheckpointDir != "":
		return cfg.Train.CheckpointDir // checkpoint_dir of --config (--out wins)
	}
	return filepath.Join("runs", fmt.Sprintf("train-%s-seed%d", cfg.Model.Param, cfg.Seed))
}

// checkTrainTarget checks, before any training, that the run fits the
// memory budget, that out may be trained into (replace: it may hold
// another run's checkpoint) and that no output replaces an input.
func checkTrainTarget(cfg lmrun.Config, memory int64, out string, replace bool, inputs []string) error {
	if err := lmrun.CheckSize(cfg, memory); err != nil {
		return err
	}
	if err := checkpoint.CheckOutDir(out, replace); err != nil {
		return err
	}
	return checkOutputs([]string{filepath.Join(out, "result.json"), filepath.Join(out, checkpoint.PointerFile)}, inputs)
}

// trainInputs lists the files a run reads besides its checkpoint: the
// --config file and the files of the corpus directory.
func trainInputs(configPath string, cfg lmrun.Config) []string {
	var in []string
	if configPath != "" {
		in = append(in, configPath)
	}
	if cfg.Data.Dir != "" {
		in = append(in, filesIn(cfg.Data.Dir)...)
	}
	return in
}

// trainRun loads the corpus, trains, and reports.
func trainRun(cfg lmrun.Config, resume string, inputs []string, stdout, stderr io.Writer) error {
	corpus, err := lmrun.LoadCorpus(cfg.Data)
	if err != nil {
		return err
	}
	steps := cfg.Train.Steps
	if cfg.Epochs > 0 {
		steps = lmrun.StepsForEpochs(cfg.Epochs, (len(corpus.Text[text.Train])-1)/cfg.Data.SeqLen, cfg.Train.Batch, cfg.Train.Accum)
	}
	fmt.Fprintf(stdout, "corpus %s: %d / %d / %d bytes (train / valid / test), %d token ids\n",
		corpus.Name, len(corpus.Text[text.Train]), len(corpus.Text[text.Valid]), len(corpus.Text[text.Test]), corpus.Vocab.Size())
	fmt.Fprintf(stdout, "model d_model %d, %d layers, d_state %d, param %s; %d updates of %d×%d sequences of %d bytes; checkpoints in %s\n",
		cfg.Model.DModel, cfg.Model.NLayer, cfg.Model.DState, cfg.Model.Param, steps, cfg.Train.Batch, cfg.Train.Accum, cfg.Data.SeqLen, cfg.Train.CheckpointDir)

	mode := progress.Quiet
	if f, ok := stderr.(*os.File); ok {
		mode = progress.Detect(f)
	}
	bar := progress.New(stderr, mode, "train", steps)
	last := 0
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hooks := train.Hooks{
		OnStep: func(s optim.StepStats) {
			if last == 0 && resume != "" && s.Step > 1 {
				// The bar continues from the checkpoint's step.
				last = s.Step - 1
				bar.Resume(last)
				bar.Logf("resuming from step %d", last)
			}
			// One loss figure: the update's mean NLL over its micro-batches.
			bar.Note(fmt.Sprintf("update loss %.3f lr %.2e", s.Loss, s.LR))
			bar.Add(s.Step - last)
			last = s.Step
		},
		OnEval: func(p lmrun.Point) {
			bar.Clear() // the log line must not glue onto the bar
			fmt.Fprintf(stdout, "step %d/%d  tokens %d  train_loss %.4f  valid_loss %.4f  valid_ppl %.4f  valid_bpb %.4f  lr %.3g  %.0fs\n",
				p.Step, steps, p.Tokens, p.TrainLoss, p.Valid.NLL, p.Valid.Perplexity, p.Valid.BitsPerByte, p.LR, p.Seconds)
		},
	}
	r, err := train.Run(ctx, cfg, corpus, train.RunOptions{Hooks: hooks, Resume: resume})
	bar.Finish()
	if err != nil {
		if ctx.Err() != nil {
			return interrupted{fmt.Errorf("interrupted at step %d; the checkpoint in %s continues with: tokendyn train --resume %s", last, cfg.Train.CheckpointDir, cfg.Train.CheckpointDir)}
		}
		return err
	}
	fmt.Fprintf(stdout, "final: valid ppl %.4f (%.4f bits/byte), test ppl %.4f (%.4f bits/byte); %d parameters, %d tokens, %.0f s\n",
		r.Valid.Perplexity, r.Valid.BitsPerByte, r.Test.Perplexity, r.Test.BitsPerByte, r.Params, r.Tokens, r.Seconds)
	for _, s := range r.Spectra {
		lo, hi := s.Real[len(s.Real)-1], s.Real[0]
		fmt.Fprintf(stdout, "layer %d: mu = S_C^T S_B has %d positive and %d negative eigenvalues (real parts in [%.3g, %.3g]) and %d zeros\n",
			s.Layer, s.Positive, s.Negative, lo, hi, s.Zeros)
	}
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.Train.CheckpointDir, "result.json")
	if err := atomicfile.WriteBytes(path, append(b, '\n'), atomicfile.NotOver(inputs...)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return nil
}

// trainHelp is the text of `tokendyn train -h` above the flags.
const trainHelp = `Usage: tokendyn train [--preset scaled|paper|tiny | --quick] [--config FILE.json] [flags]
       tokendyn train --resume DIR
       tokendyn train vision [flags]   (the classifier of refinement 2; see tokendyn train vision -h)

Trains a byte-level Mamba language model with AdamW, a cosine schedule with warm-up,
gradient clipping and accumulation (the authors' WikiText-103 setup, docs/paper.md §6.1).
--preset paper is the authors' configuration (d_model 768, 24 layers, L = 1024, batch 128,
25 epochs) except that tokens are bytes, not GPT-2 tokens: days of CPU time.
--preset scaled is the scaled-down experiment's configuration (the default); --quick
(= --preset tiny) is a smoke run in seconds on GCIDE.`
