package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tokendyn/tokendyn/internal/membudget"
)

// newFlagSet returns the flag set of one subcommand: errors and usage go to
// stderr, and -h prints help (the synopsis and a description), the flags,
// then the subcommand's EXAMPLES (examples(name)).
func newFlagSet(name string, stderr io.Writer, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), strings.TrimRight(help, "\n"))
		fmt.Fprintln(fs.Output(), "\nFlags:")
		printFlags(fs.Output(), fs)
		printExamples(fs.Output(), name)
	}
	return fs
}

// example is one command line of a subcommand's EXAMPLES section and what
// it does.
type example struct {
	args []string // after "tokendyn"
	what string
}

// examples returns the EXAMPLES of the subcommand name as its flag set is
// named ("train vision", "bench scan"; "bench" for the dispatcher). Every
// example is checked by TestExamplesParse: its flags exist and parse.
func examples(name string) []example {
	switch name {
	case "figures":
		return []example{
			{[]string{"figures", "--list"}, "the registry: ID, paper reference, scale, notebook"},
			{[]string{"figures", "--quick", "--out", "/tmp/figs"}, "every artifact at small sizes (seconds), stamped quick"},
			{[]string{"figures", "--only", "tab1,fig6-2d"}, "two artifacts at full size into figures/"},
		}
	case "claims":
		return []example{
			{[]string{"claims"}, "the ledger, one line a claim, and figures/claims.{json,md,html}"},
			{[]string{"claims", "--out", "/tmp/ledger"}, "the same files into /tmp/ledger"},
		}
	case "verify":
		return []example{
			{[]string{"verify"}, "every artifact of figures/: ok, stale (which input changed) or missing"},
			{[]string{"verify", "--json", "/tmp/figs"}, "the same of /tmp/figs as JSON (the report site's gallery reads it)"},
		}
	case "scan":
		return []example{
			{[]string{"scan", "--in", "in.safetensors", "--out", "out.safetensors"}, "the S6 scan of tensors written as data/README.md shows (PyTorch side)"},
			{[]string{"scan", "--in", "in.safetensors", "--out", "out.safetensors", "--threads", "1"}, "the same on one goroutine"},
		}
	case "dynamics":
		return []example{
			{[]string{"dynamics", "--mu", "-1", "--sdelta", "1", "--a", "1", "--x0", "0.5,-1,2", "--t", "10"}, "the convergent scenario (mu < 0): every token tends to 0"},
			{[]string{"dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "1,1", "--t", "5"}, "the fast-divergent scenario (mu > 0, S_Δ x_l(0) > 0): a finite-time blow-up"},
		}
	case "train":
		return []example{
			{[]string{"train", "--quick", "--out", "/tmp/lm"}, "a smoke run in seconds (the tiny preset) on GCIDE"},
			{[]string{"train", "--param", "neg", "--seed", "1"}, "the scaled-down experiment's run with mu kept negative definite"},
			{[]string{"train", "--resume", "/tmp/lm"}, "continue an interrupted run from its last checkpoint"},
			{[]string{"train", "--preset", "paper", "--print-config"}, "print the authors' configuration as JSON"},
		}
	case "train vision":
		return []example{
			{[]string{"train", "vision", "--quick"}, "the paired reordering experiment at small sizes (seconds)"},
			{[]string{"train", "vision", "--patches", "4", "--seeds", "1,2,3", "--out", "/tmp/vision"}, "49 tokens, three seeds, results and per-epoch CSV into /tmp/vision"},
		}
	case "bench":
		return []example{
			{[]string{"bench", "scan"}, "selective-scan throughput at the default sizes"},
			{[]string{"bench", "train", "--steps", "5"}, "training throughput of the small LM"},
		}
	case "bench scan":
		return []example{
			{[]string{"bench", "scan", "--B", "4", "--D", "512", "--L", "2048", "--N", "16"}, "a larger scan, as make bench runs it"},
			{[]string{"bench", "scan", "--dtype", "float64", "--threads", "1"}, "the float64 scan on one core"},
		}
	case "bench train":
		return []example{
			{[]string{"bench", "train"}, "the default small LM"},
			{[]string{"bench", "train", "--d-model", "128", "--layers", "4", "--threads", "2"}, "a wider, deeper model on two cores"},
		}
	case "eval":
		return []example{
			{[]string{"eval", "--model", "/tmp/lm", "--text", "notebooks/README.md"}, "NLL, perplexity and bits per byte of a checkpoint on a text"},
			{[]string{"eval", "--model", "/tmp/lm", "--text", "notebooks/README.md", "--window", "64", "--json"}, "the same in windows of 64 tokens, as JSON"},
		}
	case "generate":
		return []example{
			{[]string{"generate", "--model", "/tmp/lm", "--prompt", "The "}, "200 sampled bytes continuing \"The \""},
			{[]string{"generate", "--model", "/tmp/lm", "--prompt", "The ", "--temperature", "0"}, "greedy decoding"},
		}
	case "inspect":
		return []example{
			{[]string{"inspect", "/tmp/lm"}, "mu's spectrum and the scenario of every layer"},
			{[]string{"inspect", "/tmp/lm", "--ids", "1,2,3", "--figure", "/tmp/traj.png"}, "three tokens through depth, drawn"},
			{[]string{"inspect", "mamba-130m", "--json"}, "a downloaded state-spaces/mamba-130m, as JSON"},
		}
	}
	return nil
}

// printExamples writes the EXAMPLES section of the subcommand name, each
// command line quoted for a POSIX shell where needed.
func printExamples(w io.Writer, name string) {
	ex := examples(name)
	if len(ex) == 0 {
		return
	}
	fmt.Fprintln(w, "\nEXAMPLES")
	for _, e := range ex {
		words := make([]string, len(e.args))
		for i, a := range e.args {
			words[i] = shellQuote(a)
		}
		fmt.Fprintf(w, "  tokendyn %s\n      %s\n", strings.Join(words, " "), e.what)
	}
}

// shellQuote returns a as one POSIX shell word.
func shellQuote(a string) string {
	if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./,=:+") == "" {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// printFlags lists fs's flags spelled as the usage lines spell them
// (--name), each with its argument name, its description and a non-empty
// default: flag.PrintDefaults would write -name.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if arg != "" {
			head += " " + arg
		}
		fmt.Fprintln(w, head)
		line := "      " + strings.ReplaceAll(usage, "\n", "\n      ")
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			line += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintln(w, line)
	})
}

// parseFlags parses args into fs. When done is true the subcommand must
// return code at once: 0 after -h (the usage has been printed), 2 after a bad
// flag (the flag package has printed the problem and the usage).
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	return 0, false
}

// memoryFlag adds --memory, the budget of what an input may make the command
// allocate (default: half of the machine's available memory).
func memoryFlag(fs *flag.FlagSet) *int64 {
	v := &membudget.Value{Bytes: membudget.Default()}
	fs.Var(v, "memory", "memory `budget` for what the input asks (e.g. 512M, 8G; default half the available memory)")
	return &v.Bytes
}
