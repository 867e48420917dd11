package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/figures"
)

// runVerify implements `tokendyn verify [DIR]`: for every artifact of the
// registry built into DIR, whether its files are there and the inputs its
// sidecar records (parameters, code, stored results) are unchanged. Exit 0
// when nothing is stale, missing or invalid, 1 otherwise, 2 for a usage
// error.
func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", stderr, verifyHelp)
	asJSON := fs.Bool("json", false, "write the status of every artifact as JSON to stdout instead of one line each")
	only := fs.String("only", "", "comma-separated artifact `IDS` to verify (default: all), e.g. those a tokendyn figures --only build wrote")
	// Flags may come before and after DIR.
	var dirs []string
	for rest := args; ; {
		if code, done := parseFlags(fs, rest); done {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		dirs, rest = append(dirs, fs.Arg(0)), fs.Args()[1:]
	}
	if len(dirs) > 1 {
		fmt.Fprintf(stderr, "tokendyn verify: unexpected argument %q (one directory at most)\n", dirs[1])
		fs.Usage()
		return 2
	}
	dir := "figures"
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	var ids []string
	if *only != "" {
		for _, id := range strings.Split(*only, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			fmt.Fprintln(stderr, "tokendyn verify: --only names no artifact")
			return 2
		}
	}
	if _, err := figures.Select(figures.All(), ids); err != nil {
		fmt.Fprintf(stderr, "tokendyn verify: %v\n", err)
		return 2
	}
	root, _ := checkoutRoot() // "" outside a checkout: such artifacts are unverifiable
	rep, err := figures.Verify(figures.VerifyOptions{Dir: dir, Only: ids, Root: root})
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn verify: %s\n", errorLine(err))
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "tokendyn verify: %v\n", err)
			return 1
		}
	} else {
		width := 0
		for _, a := range rep.Artifacts {
			width = max(width, len(a.ID))
		}
		var b strings.Builder
		for _, a := range rep.Artifacts {
			fmt.Fprintf(&b, "%-*s  %s\n", width, a.ID, oneLine(a.Line()))
		}
		if _, err := io.WriteString(stdout, b.String()); err != nil {
			fmt.Fprintf(stderr, "tokendyn verify: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "tokendyn verify: %s\n", rep.SummaryLine())
	if !rep.OK {
		return 1
	}
	return 0
}

// verifyHelp is the text of `tokendyn verify -h` above the flags.
const verifyHelp = `Usage: tokendyn verify [--json] [--only ID,...] [DIR]

Checks the artifacts that tokendyn figures wrote into DIR (default figures) against this
checkout, without computing or training anything. For every artifact of the registry it
prints one line: ok; missing: FILE (its sidecar or a file the sidecar lists is gone);
stale: INPUT changed (an input its sidecar's provenance records has another digest now:
its parameters, the code, the stored experiment result it drew, the experiment's current
key, its pre-registration); unverifiable (built or checked outside a checkout); or invalid
(a sidecar that does not read). Then a summary line on stderr. Exit status 0 when nothing
is stale, missing or invalid, 1 otherwise.`
