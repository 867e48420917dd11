package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokendyn/tokendyn/internal/progress"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
	"github.com/tokendyn/tokendyn/pkg/figures"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// runFigures implements `tokendyn figures`: it builds the artifacts of the
// registry (pkg/figures.All) into a directory, or lists them.
func runFigures(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("figures", stderr, figuresHelp)
	list := fs.Bool("list", false, "print the registry (ID, paper reference, scale, notebook), 80 columns wide, and exit")
	asJSON := fs.Bool("json", false, "with --list: print the registry as JSON")
	only := fs.String("only", "", "comma-separated artifact IDs to build (default: all)")
	out := fs.String("out", "figures", "output directory")
	echarts := fs.String("echarts", "", "`PATH` of echarts.min.js (echarts "+figures.EChartsVersion+"); default: $"+envECharts+
		", else the copy embedded by `make tokendyn`, else echarts.min.js next to the executable, else this module's "+figures.DefaultEChartsJS+
		" (npm ci); with none, the HTML pages are skipped")
	quick := fs.Bool("quick", false, "small sizes: a smoke run in seconds (the sidecars say quick)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tokendyn figures: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	reg := figures.All()
	if *list {
		return printRegistry(reg, *asJSON, stdout, stderr)
	}
	ids, sel, err := selectFigures(reg, *only)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 2
	}
	wd, _ := os.Getwd()
	src, err := findECharts(*echarts, os.Getenv(envECharts), embeddedECharts, executable(), wd)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %s\n", errorLine(err))
		return 1
	}
	if src.none() && needsHTML(sel) {
		fmt.Fprintln(stderr, noEChartsWarning)
	}
	if err := checkFiguresOutputs(*out, src); err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	rep, err := buildFigures(ctx, len(sel), figures.Options{
		OutDir:    *out,
		EChartsJS: src.Path,
		ECharts:   src.Embedded,
		NoHTML:    src.none(),
		Quick:     *quick,
		Only:      ids,
		Registry:  reg,
		Command:   figuresCommand(fs),
	})
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %s\n", errorLine(err))
		return 1
	}
	printFiguresReport(rep, start, stdout, stderr)
	return 0
}

// printRegistry prints the registry reg, as JSON with asJSON, else for an
// 80-column terminal, and returns the exit status.
func printRegistry(reg []figures.Artifact, asJSON bool, stdout, stderr io.Writer) int {
	if asJSON {
		return listFiguresJSON(reg, stdout, stderr)
	}
	return listFigures(reg, stdout, stderr)
}

// selectFigures parses --only (comma-separated IDs, blanks dropped; "" is
// all) and returns the IDs and the artifacts of reg they select.
func selectFigures(reg []figures.Artifact, only string) ([]string, []figures.Artifact, error) {
	var ids []string
	if only != "" {
		for _, id := range strings.Split(only, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, nil, errors.New("--only names no artifact")
		}
	}
	sel, err := figures.Select(reg, ids)
	return ids, sel, err
}

// needsHTML reports whether any of sel is a figure, i.e. has an HTML page
// that needs the echarts bundle.
func needsHTML(sel []figures.Artifact) bool {
	for _, a := range sel {
		if a.Kind == figures.KindFigure {
			return true
		}
	}
	return false
}

// checkFiguresOutputs checks that the files written into out never replace
// an input; the one input copied into the output directory is the ECharts
// bundle.
func checkFiguresOutputs(out string, src echartsSource) error {
	var inputs []string
	if src.Path != "" {
		inputs = append(inputs, src.Path)
	}
	return checkOutputs([]string{filepath.Join(out, render.AssetsDir, "echarts.min.js"), filepath.Join(out, figures.IndexFile)}, inputs)
}

// buildFigures builds the n artifacts o selects with a progress bar on
// stderr, taking the experiments' results from figuresExperiments.
func buildFigures(ctx context.Context, n int, o figures.Options) (*figures.Report, error) {
	bar := progress.ForStderr("figures", n)
	o.Experiments = figuresExperiments()
	o.Progress = figuresProgress(bar)
	rep, err := figures.Build(ctx, o)
	if err != nil {
		bar.Abandon()
		return nil, err
	}
	bar.Finish()
	return rep, nil
}

// figuresExperiments is where the build takes the experiments' results
// from. Inside the module, an experiment whose stored result is missing is
// run first (and stored), as `tokendyn experiment NAME` does; outside it
// (nil), the artifacts that need one fail and say so.
func figuresExperiments() figures.Experiments {
	if root, err := checkoutRoot(); err == nil {
		return runner.Source{Root: root}
	}
	return nil
}

// figuresProgress is the build's progress callback: it advances bar by one
// per finished artifact and notes the artifact (and its step) in progress.
func figuresProgress(bar *progress.Bar) func(figures.Progress) {
	return func(p figures.Progress) {
		switch {
		case p.Finished:
			bar.Note("")
			bar.Add(1)
		case p.Total > 0:
			bar.Note(fmt.Sprintf("%s %d/%d", p.ID, p.Done, p.Total))
			bar.Add(0)
		default:
			bar.Note(p.ID)
			bar.Add(0)
		}
	}
}

// printFiguresReport prints the files written, one path a line, on stdout
// and the summary line (artifacts, files, directory, time since start) on
// stderr.
func printFiguresReport(rep *figures.Report, start time.Time, stdout, stderr io.Writer) {
	for _, f := range rep.Files {
		fmt.Fprintln(stdout, filepath.Join(rep.OutDir, f))
	}
	noun := "artifacts"
	if len(rep.Artifacts) == 1 {
		noun = "artifact"
	}
	fmt.Fprintf(stderr, "tokendyn figures: %d %s, %d files in %s (%.1fs)\n",
		len(rep.Artifacts), noun, len(rep.Files), rep.OutDir, time.Since(start).Seconds())
}

// figuresCommand is the command line the sidecars record: `tokendyn
// figures` and the flags given, each spelled --name or --name VALUE, in
// alphabetical order, without --out and --echarts: where the files go and
// where the (verified, pinned) bundle was read from change no byte of an
// artifact, and two identical builds into two directories record the same.
func figuresCommand(fs *flag.FlagSet) string {
	words := []string{"tokendyn", "figures"}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "out", "echarts":
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && f.Value.String() == "true" {
			words = append(words, "--"+f.Name)
			return
		}
		words = append(words, "--"+f.Name, shellQuote(f.Value.String()))
	})
	return strings.Join(words, " ")
}

// listFigures prints the registry for an 80-column terminal: per artifact
// its ID and kind on one line, then what it reproduces, its scale and its
// notebook, indented and wrapped.
func listFigures(reg []figures.Artifact, stdout, stderr io.Writer) int {
	if err := figures.CheckRegistry(reg); err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 1
	}
	var b strings.Builder
	for i, a := range reg {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s)\n", a.ID, a.Kind)
		for _, f := range []struct{ k, v string }{{"reproduces", a.PaperRef}, {"scale", a.Scale}, {"notebook", a.Notebook}} {
			for k, line := range wrapWords(f.v, 80-15) {
				key := ""
				if k == 0 {
					key = f.k
				}
				fmt.Fprintf(&b, "  %-11s  %s\n", key, line)
			}
		}
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 1
	}
	return 0
}

// listFiguresJSON prints the registry as a JSON array.
func listFiguresJSON(reg []figures.Artifact, stdout, stderr io.Writer) int {
	if err := figures.CheckRegistry(reg); err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 1
	}
	type entry struct {
		ID       string `json:"id"`
		Kind     string `json:"kind"`
		Title    string `json:"title"`
		PaperRef string `json:"paper_ref"`
		Scale    string `json:"scale"`
		Notebook string `json:"notebook"`
		Note     string `json:"note,omitempty"`
	}
	out := make([]entry, len(reg))
	for i, a := range reg {
		out[i] = entry{a.ID, string(a.Kind), a.Title, a.PaperRef, a.Scale, a.Notebook, a.Note}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "tokendyn figures: %v\n", err)
		return 1
	}
	return 0
}

// wrapWords breaks s at spaces into lines of at most width runes (a longer
// word gets a line of its own).
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

// oneLine joins a multi-line message so that a failure prints one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// figuresHelp is the text of `tokendyn figures -h` above the flags.
const figuresHelp = `Usage: tokendyn figures [--list] [--only ID,...] [--out DIR] [--echarts PATH] [--quick]

Regenerates the paper's figures and tables: PNG, SVG, PDF and interactive HTML per figure;
CSV, Markdown and LaTeX per table; a JSON sidecar per artifact; INDEX.md. The HTML pages need
the echarts bundle (see --echarts); without one they are skipped with a warning.`
