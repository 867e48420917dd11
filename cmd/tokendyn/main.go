// Command tokendyn regenerates the figures and tables of "Demystifying the
// Token Dynamics of Deep Selective State Space Models" (Vo, Pham, Tong,
// Nguyen; ICLR 2025; arXiv 2410.03292) and exposes the building blocks:
// the S6 selective scan, the continuous-time token dynamics, training and
// benchmarks. Run `tokendyn help` for the list of subcommands.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// command is one subcommand: run gets the arguments after the subcommand's
// name and returns the process exit code (0 ok, 1 failure, 2 usage error).
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"figures", "regenerate every figure and table of the paper into figures/", runFigures},
		{"claims", "the claims ledger: every claim of the paper, its check, evidence and verdict", runClaims},
		{"verify", "check figures/ against the checkout: which artifacts are stale (an input changed) or missing", runVerify},
		{"experiment", "run (or reuse) one of the two scaled-down experiments: lm or reorder", runExperiment},
		{"scan", "run the S6 selective scan on tensors from a safetensors file", runScan},
		{"dynamics", "classify and simulate the 1-D continuous-time token dynamics", runDynamics},
		{"train", "train a small Mamba (language model or classifier)", runTrain},
		{"bench", "measure the speed of the scan and of training", runBench},
		{"eval", "evaluate a checkpoint of tokendyn train on a text (NLL, perplexity, bits/byte)", runEval},
		{"generate", "sample text from a checkpoint of tokendyn train (recurrent step)", runGenerate},
		{"inspect", "per-layer spectra of mu and scenarios of any Mamba-1 checkpoint; token trajectories", runInspect},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run([]string{"-h"}, stdout, stdout)
				}
			}
			fmt.Fprintf(stderr, "tokendyn: unknown subcommand %q\n", args[1])
			usage(stderr)
			return 2
		}
		usage(stdout)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "tokendyn: unknown subcommand %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tokendyn: the executable companion of \"Demystifying the Token Dynamics of Deep")
	fmt.Fprintln(w, "Selective State Space Models\" (Vo, Pham, Tong, Nguyen; ICLR 2025; arXiv 2410.03292).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: tokendyn <subcommand> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Subcommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-9s %s\n", "help", "this message; `tokendyn help SUBCOMMAND` shows its flags")
	fmt.Fprintf(w, "  %-9s %s\n", "version", "print the module version and build settings (also --version)")
}

// versionString reports the main module's version and the VCS revision when
// the binary carries them.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "tokendyn (no build information)"
	}
	s := fmt.Sprintf("tokendyn %s (%s, %s)", bi.Main.Version, bi.Main.Path, bi.GoVersion)
	for _, kv := range bi.Settings {
		if kv.Key == "vcs.revision" {
			s += " revision " + kv.Value
		}
	}
	return s
}
