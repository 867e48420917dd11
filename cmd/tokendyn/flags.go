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
// stderr, and -h prints help (the synopsis and a description) followed by
// the flags.
func newFlagSet(name string, stderr io.Writer, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), strings.TrimRight(help, "\n"))
		fmt.Fprintln(fs.Output(), "\nFlags:")
		printFlags(fs.Output(), fs)
	}
	return fs
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
