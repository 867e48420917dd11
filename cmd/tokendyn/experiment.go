package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"

	"github.com/tokendyn/tokendyn/internal/progress"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
)

const experimentHelp = `Usage: tokendyn experiment lm|reorder [--quick | --replay FILE | --check FILE --pick S] [--parallel N]

Runs one of the paper's two scaled-down experiments (pkg/experiment/runner) and
stores its result in the cache under the repository's .cache/experiments/, or
reuses the stored result when its key (specification, data digest, numerics
fingerprint) is unchanged; tokendyn figures then draws it without training.

  lm       refinement 1: byte-level Mamba LMs with μ = S_Cᵀ S_B negative, positive,
           mixed or unconstrained, at two total weight decays, paired seeds
           (lm.Default, pre-registered in docs/prereg/lm.md)
  reorder  refinement 2: Fashion-MNIST classifiers with and without token
           reordering by importance (reorder.Default)

--replay FILE (lm only) does not train the whole design: it retrains its first
seeds (lm.ReplaySeeds), checks that they equal the result committed in FILE
(docs/results/lm.json) bit for bit, and then uses FILE as the result.
--check FILE --pick S (lm or reorder, full design) retrains one run of the
design at its full configuration, chosen by the string S (make test passes the
commit), compares it with FILE (docs/results/lm.json, docs/results/reorder.json)
bit for bit and stores nothing.

It prints the verdicts on stdout, one per line; progress (rate, ETA) goes to stderr.`

// progressHooks are runner hooks that draw a progress bar named name on
// stderr once the first step is reported (rate and ETA; one line per
// finished run in logs), and the function that closes it.
func progressHooks(name string) (runner.Hooks, func()) {
	var (
		bar  *progress.Bar
		once sync.Once
	)
	h := runner.Hooks{
		OnStep: func(done, total int) {
			once.Do(func() { bar = progress.ForStderr(name, total) })
			bar.Add(1)
		},
		OnRun: func(line string) {
			if bar != nil {
				bar.Milestone(line)
			}
		},
	}
	return h, func() {
		if bar != nil {
			bar.Finish()
		}
	}
}

// runExperiment implements `tokendyn experiment NAME`.
func runExperiment(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("experiment", stderr, experimentHelp)
	var f experimentFlags
	fs.BoolVar(&f.quick, "quick", false, "the quick specification (lm.Quick, reorder.Quick): minutes, the sidecars say quick")
	fs.StringVar(&f.replay, "replay", "", "lm: retrain the first seeds, check them against this committed result bit for bit, then use it")
	fs.StringVar(&f.check, "check", "", "retrain one run (chosen by --pick) and compare it with this committed result bit for bit")
	fs.StringVar(&f.pick, "pick", "", "with --check: the string (e.g. the commit) whose hash picks the run")
	fs.IntVar(&f.parallel, "parallel", 0, "runs trained at once (0: the specification's; no result depends on it)")
	name, args := splitExperimentName(args)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tokendyn experiment: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if name != "lm" && name != "reorder" {
		fmt.Fprintf(stderr, "tokendyn experiment: want lm or reorder, got %q\n", name)
		fs.Usage()
		return 2
	}
	if err := f.validate(name); err != nil {
		fmt.Fprintf(stderr, "tokendyn experiment: %v\n", err)
		return 2
	}
	root, err := checkoutRoot()
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn experiment: %s\n", errorLine(err))
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	hooks, finish := progressHooks("experiment " + name)
	if f.check != "" {
		if err := checkExperiment(ctx, name, f.check, f.pick, stdout); err != nil {
			fmt.Fprintf(stderr, "tokendyn experiment %s: %s\n", name, errorLine(err))
			return 1
		}
		return 0
	}
	var verdicts []experiment.Verdict
	switch name {
	case "lm":
		verdicts, err = runLMExperiment(ctx, root, f, hooks, stderr)
	case "reorder":
		verdicts, err = runReorderExperiment(ctx, root, f, hooks, stderr)
	}
	finish()
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn experiment %s: %s\n", name, errorLine(err))
		return 1
	}
	for _, v := range verdicts {
		fmt.Fprintf(stdout, "%s: %s (%s)\n", v.Claim, v.Outcome, v.Evidence)
	}
	return 0
}

// splitExperimentName takes NAME off the front of args when args starts
// with it rather than with a flag; name is "" otherwise.
func splitExperimentName(args []string) (name string, rest []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}

// experimentFlags are the values of experiment's flags.
type experimentFlags struct {
	quick               bool
	replay, check, pick string
	parallel            int
}

// validate checks that the flags go together for experiment name (lm or
// reorder): the error is a usage error.
func (f experimentFlags) validate(name string) error {
	if f.replay != "" && (name != "lm" || f.quick) {
		return errors.New("--replay is for the full lm design only")
	}
	if f.check != "" && (f.quick || f.replay != "") {
		return errors.New("--check is for the full design only, without --quick or --replay")
	}
	if (f.check == "") != (f.pick == "") {
		return errors.New("--check and --pick go together")
	}
	if f.parallel < 0 {
		return fmt.Errorf("--parallel %d must be >= 0", f.parallel)
	}
	return nil
}

// checkExperiment retrains the run of experiment name's full design that
// pick chooses and compares it with the committed result in file bit for
// bit, storing nothing.
func checkExperiment(ctx context.Context, name, file, pick string, stdout io.Writer) error {
	if name == "lm" {
		spec := lm.Default()
		return runner.LMReplayJob(ctx, spec, file, runner.PickJob(spec, pick), stdout)
	}
	spec := reorder.Default()
	return runner.ReorderReplayJob(ctx, spec, file, runner.PickReorderJob(spec, pick), stdout)
}

// runLMExperiment runs (or reuses, or with --replay replays) the lm
// design the flags ask for and returns its verdicts.
func runLMExperiment(ctx context.Context, root string, f experimentFlags, hooks runner.Hooks, stderr io.Writer) ([]experiment.Verdict, error) {
	spec := lm.Default()
	if f.quick {
		spec = lm.Quick()
	}
	if f.parallel > 0 {
		spec.Parallel = f.parallel
	}
	var r *lm.Result
	var err error
	if f.replay != "" {
		r, err = runner.LMReplay(ctx, root, spec, f.replay, lm.ReplaySeeds, hooks, stderr)
	} else {
		r, _, err = runner.LM(ctx, root, spec, hooks, stderr)
	}
	if err != nil {
		return nil, err
	}
	return r.Verdicts()
}

// runReorderExperiment runs (or reuses) the reorder design the flags ask
// for and returns its verdicts.
func runReorderExperiment(ctx context.Context, root string, f experimentFlags, hooks runner.Hooks, stderr io.Writer) ([]experiment.Verdict, error) {
	spec := reorder.Default()
	if f.quick {
		spec = reorder.Quick()
	}
	if f.parallel > 0 {
		spec.Threads = f.parallel
	}
	r, _, err := runner.Reorder(ctx, root, spec, hooks, stderr)
	if err != nil {
		return nil, err
	}
	return r.Verdict(), nil
}
