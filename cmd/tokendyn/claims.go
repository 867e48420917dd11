package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/pkg/claims"
)

const claimsHelp = `Usage: tokendyn claims [--out DIR] [--quick]

Builds the claims ledger (pkg/claims): every claim of the paper this
repository can speak to, and its own findings, numbered, each with the check
that tests it, the evidence and a verdict computed by code (holds, not
supported, contradicted, inconclusive, not testable here). The theory checks
run now at reduced sizes (seconds); the experiment claims read the committed
results docs/results/{lm,reorder}.json, decided by their pre-registrations.

It prints one line a claim and a summary on stdout and writes
DIR/claims.json (the data), DIR/claims.md and DIR/claims.html.
docs/claims.md is the committed copy (kept equal by go test ./pkg/claims).
A verdict other than "holds" is a result, not an error: the exit code is 0.`

// runClaims implements `tokendyn claims`.
func runClaims(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("claims", stderr, claimsHelp)
	out := fs.String("out", "figures", "directory for claims.json, claims.md and claims.html (created when missing)")
	quick := fs.Bool("quick", false, "the cheap checks at smoke sizes (tests); the files say quick")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tokendyn claims: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	root, err := checkoutRoot()
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn claims: %s\n", errorLine(err))
		return 1
	}
	sizes := claims.DefaultSizes()
	if *quick {
		sizes = claims.QuickSizes()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	l, err := claims.Build(ctx, root, sizes, *quick)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn claims: %s\n", errorLine(err))
		return 1
	}
	js, err := l.JSON()
	var page []byte
	if err == nil {
		page, err = l.HTML()
	}
	if err == nil {
		err = os.MkdirAll(*out, 0o755)
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{"claims.json", js}, {"claims.md", []byte(l.Markdown())}, {"claims.html", page}} {
		if err != nil {
			break
		}
		err = atomicfile.WriteBytes(filepath.Join(*out, f.name), f.b)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn claims: %s\n", errorLine(err))
		return 1
	}
	fmt.Fprint(stdout, l.Lines())
	var parts []string
	for i, n := range l.Counts() {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, claims.Verdicts()[i]))
		}
	}
	fmt.Fprintf(stdout, "%d claims: %s; written to %s/claims.{json,md,html}\n", len(l.Claims), strings.Join(parts, ", "), *out)
	return 0
}
