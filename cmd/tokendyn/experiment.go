package main

import (
	"context"
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
	quick := fs.Bool("quick", false, "the quick specification (lm.Quick, reorder.Quick): minutes, the sidecars say quick")
	replay := fs.String("replay", "", "lm: retrain the first seeds, check them against this committed result bit for bit, then use it")
	check := fs.String("check", "", "retrain one run (chosen by --pick) and compare it with this committed result bit for bit")
	pick := fs.String("pick", "", "with --check: the string (e.g. the commit) whose hash picks the run")
	parallel := fs.Int("parallel", 0, "runs trained at once (0: the specification's; no result depends on it)")
	name := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
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
	if *replay != "" && (name != "lm" || *quick) {
		fmt.Fprintf(stderr, "tokendyn experiment: --replay is for the full lm design only\n")
		return 2
	}
	if *check != "" && (*quick || *replay != "") {
		fmt.Fprintf(stderr, "tokendyn experiment: --check is for the full design only, without --quick or --replay\n")
		return 2
	}
	if (*check == "") != (*pick == "") {
		fmt.Fprintf(stderr, "tokendyn experiment: --check and --pick go together\n")
		return 2
	}
	if *parallel < 0 {
		fmt.Fprintf(stderr, "tokendyn experiment: --parallel %d must be >= 0\n", *parallel)
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
	if *check != "" {
		if name == "lm" {
			spec := lm.Default()
			err = runner.LMReplayJob(ctx, spec, *check, runner.PickJob(spec, *pick), stdout)
		} else {
			spec := reorder.Default()
			err = runner.ReorderReplayJob(ctx, spec, *check, runner.PickReorderJob(spec, *pick), stdout)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tokendyn experiment %s: %s\n", name, errorLine(err))
			return 1
		}
		return 0
	}
	var verdicts []experiment.Verdict
	switch name {
	case "lm":
		spec := lm.Default()
		if *quick {
			spec = lm.Quick()
		}
		if *parallel > 0 {
			spec.Parallel = *parallel
		}
		var r *lm.Result
		if *replay != "" {
			r, err = runner.LMReplay(ctx, root, spec, *replay, lm.ReplaySeeds, hooks, stderr)
		} else {
			r, _, err = runner.LM(ctx, root, spec, hooks, stderr)
		}
		if err == nil {
			verdicts, err = r.Verdicts()
		}
	case "reorder":
		spec := reorder.Default()
		if *quick {
			spec = reorder.Quick()
		}
		if *parallel > 0 {
			spec.Threads = *parallel
		}
		var r *reorder.Result
		if r, _, err = runner.Reorder(ctx, root, spec, hooks, stderr); err == nil {
			verdicts = r.Verdict()
		}
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
