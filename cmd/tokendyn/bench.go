package main

import (
	"fmt"
	"io"
)

// runBench dispatches to one benchmark program: `tokendyn bench scan ...` or
// `tokendyn bench train ...`. Each prints its figures and, as its last line,
// one key=value pair that scripts can read.
func runBench(args []string, stdout, stderr io.Writer) int {
	benches := []struct {
		name, summary string
		run           func(args []string, stdout, stderr io.Writer) int
	}{
		{"scan", "selective-scan throughput; last line ns_per_update=<value>", benchScan},
		{"train", "training throughput of the small Mamba LM; last line tokens_per_s=<value>", benchTrain},
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w, code := stderr, 2
		if len(args) > 0 {
			w, code = stdout, 0
		}
		fmt.Fprintln(w, "Usage: tokendyn bench <scan|train> [flags]")
		for _, b := range benches {
			fmt.Fprintf(w, "  %-6s %s\n", b.name, b.summary)
		}
		printExamples(w, "bench")
		return code
	}
	for _, b := range benches {
		if b.name == args[0] {
			return b.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "tokendyn bench: unknown benchmark %q (want scan or train)\n", args[0])
	return 2
}
