package figures

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// Options configure Build.
type Options struct {
	OutDir    string     // where files go; "" means "figures"
	EChartsJS string     // echarts.min.js to copy next to the HTML; "" means DefaultEChartsJS
	Quick     bool       // small sizes (tests, smoke runs)
	Only      []string   // artifact IDs to build; nil builds every artifact
	Registry  []Artifact // the artifacts to choose from; nil means All()

	// ECharts, when not nil, is the bundle itself (the copy embedded in the
	// binary); EChartsJS is then not read. It is verified all the same.
	ECharts []byte
	// NoHTML writes no interactive page and no assets (no bundle is at
	// hand); every static format is written as usual.
	NoHTML bool

	// Progress, when not nil, is called as artifacts start and advance.
	Progress func(Progress)

	// Log is where the experiments say whether they reuse a stored result
	// or run (once per Build and experiment); nil means os.Stderr.
	Log io.Writer

	// Experiments supplies the experiments' results; nil means Stored at
	// the module root (read only, never train).
	Experiments Experiments

	// Command is the command line that made the artifacts, recorded in
	// every sidecar's provenance (e.g. "tokendyn figures --quick --only
	// fig6-2d"); "" records Unknown. It should leave out what changes no
	// output byte, such as the output directory, so that two runs of the
	// same build give the same sidecars.
	Command string
}

// Progress is one progress report.
type Progress struct {
	ID           string // the artifact being built
	Index, Count int    // its position among the artifacts being built
	Done, Total  int    // units done inside the artifact (0, 0 when it starts)
	Finished     bool   // its files are written
}

// Report lists what Build wrote, paths relative to the output directory in
// writing order.
type Report struct {
	OutDir    string
	Artifacts []BuiltArtifact
	Files     []string // every file written, including assets and INDEX.md
}

// BuiltArtifact is one built artifact.
type BuiltArtifact struct {
	ID       string
	Files    []string // its outputs and its sidecar
	WallTime time.Duration
}

// Select returns the artifacts of reg named by ids, in registry order, or an
// error naming the unknown IDs and listing the valid ones. A nil ids selects
// everything.
func Select(reg []Artifact, ids []string) ([]Artifact, error) {
	if ids == nil {
		return reg, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out []Artifact
	for _, a := range reg {
		if want[a.ID] {
			out = append(out, a)
			delete(want, a.ID)
		}
	}
	if len(want) > 0 {
		var unknown []string
		for _, id := range ids { // ids order, not map order
			if want[id] {
				unknown = append(unknown, id)
				want[id] = false
			}
		}
		valid := make([]string, len(reg))
		for i, a := range reg {
			valid[i] = a.ID
		}
		return nil, fmt.Errorf("unknown artifact ID(s) %s; valid IDs: %s",
			strings.Join(unknown, ", "), strings.Join(valid, ", "))
	}
	return out, nil
}

// CheckRegistry checks every artifact's fields and that IDs are unique.
func CheckRegistry(reg []Artifact) error {
	seen := make(map[string]bool, len(reg))
	for _, a := range reg {
		if err := a.validate(); err != nil {
			return err
		}
		if seen[a.ID] {
			return fmt.Errorf("figures: duplicate artifact ID %q", a.ID)
		}
		seen[a.ID] = true
	}
	return nil
}

// Build computes the selected artifacts and writes, into OutDir, for every
// figure a PNG, an SVG, a PDF and an interactive HTML page (plus
// assets/echarts.min.js; neither with NoHTML), for every table CSV, Markdown and LaTeX, a JSON
// sidecar per artifact, and INDEX.md over the whole registry. The assets and
// INDEX.md are written before the first artifact and INDEX.md again after
// each one. Every file is
// written atomically; the same options give byte-identical files except for
// the sidecars' WallTimeField.
func Build(ctx context.Context, o Options) (*Report, error) {
	reg, sel, err := selectChecked(o.Registry, o.Only)
	if err != nil {
		return nil, err
	}
	out := o.OutDir
	if out == "" {
		out = "figures"
	}
	// Fail before any long computation when the echarts bundle is missing.
	var js []byte
	for _, a := range sel {
		if a.Kind == KindFigure && !o.NoHTML {
			if js, err = loadECharts(o); err != nil {
				return nil, err
			}
			break
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	rep := &Report{OutDir: out}
	// The assets and INDEX.md come first and INDEX.md is refreshed after
	// every artifact, so that every HTML page works and the index is true
	// during a run and after an interrupted or failed one.
	if js != nil {
		rel, err := writeEChartsJS(js, out)
		if err != nil {
			return rep, err
		}
		rep.Files = append(rep.Files, rel)
	}
	if _, err := writeIndex(out, reg); err != nil {
		return rep, err
	}
	progress := o.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	// The artifacts of one experiment share its result: loaded or run once.
	experiments := newExperimentMemo(o.Log)
	source := o.Experiments
	if source == nil {
		source = Stored{}
	}
	pc := newProvenanceContext(o.Command, source)
	for i, a := range sel {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		progress(Progress{ID: a.ID, Index: i, Count: len(sel)})
		env := Env{Quick: o.Quick, Seed: a.Seed, Step: func(done, total int) {
			progress(Progress{ID: a.ID, Index: i, Count: len(sel), Done: done, Total: total})
		}, experiments: experiments, source: source}
		start := time.Now()
		res, err := a.Build(ctx, env)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", a.ID, err)
		}
		files, err := writeResult(out, a, res, o.Quick, !o.NoHTML, start, pc)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", a.ID, err)
		}
		rep.Artifacts = append(rep.Artifacts, BuiltArtifact{ID: a.ID, Files: files, WallTime: time.Since(start)})
		rep.Files = append(rep.Files, files...)
		if _, err := writeIndex(out, reg); err != nil {
			return rep, err
		}
		progress(Progress{ID: a.ID, Index: i, Count: len(sel), Finished: true})
	}
	rep.Files = append(rep.Files, IndexFile)
	return rep, nil
}

// writeResult renders one artifact's files (the HTML pages when withHTML)
// and its sidecar and writes them atomically into out. The sidecar's wall
// time runs from start (before Build) to the end of rendering.
func writeResult(out string, a Artifact, res *Result, quick, withHTML bool, start time.Time, pc provenanceContext) ([]string, error) {
	files, err := renderResult(a, res, quick, withHTML, start, pc)
	if err != nil {
		return nil, err
	}
	written := make([]string, 0, len(files))
	for _, f := range files {
		if err := atomicfile.WriteBytes(filepath.Join(out, f.Name), f.Data); err != nil {
			return written, err
		}
		written = append(written, f.Name)
	}
	return written, nil
}

// File is one rendered output of an artifact, in memory.
type File struct {
	Name string // file name, e.g. "fig6-2d.png"
	Data []byte
}

// renderResult renders, in memory, every figure of res (PNG, SVG, PDF and,
// when withHTML, HTML) and every table (CSV, Markdown, LaTeX), then the
// sidecar (with the provenance of pc), in writing order.
func renderResult(a Artifact, res *Result, quick, withHTML bool, start time.Time, pc provenanceContext) ([]File, error) {
	if err := checkResult(a, res); err != nil {
		return nil, err
	}
	stem := outputStems(a.ID)
	files, err := renderFigures(a, res, quick, withHTML, stem)
	if err != nil {
		return nil, err
	}
	tables, err := renderTables(res, stem)
	if err != nil {
		return nil, err
	}
	files = append(files, tables...)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	side, err := newSidecar(a, res, quick, names, time.Since(start).Seconds(), pc)
	if err != nil {
		return nil, err
	}
	sc, err := side.encode()
	if err != nil {
		return nil, err
	}
	return append(files, File{a.ID + ".json", sc}), nil
}

// checkResult checks that Build returned a result and that a figure
// artifact has figures and a table artifact tables.
func checkResult(a Artifact, res *Result) error {
	if res == nil {
		return fmt.Errorf("Build returned no result")
	}
	if a.Kind == KindFigure && len(res.Figures) == 0 {
		return fmt.Errorf("a figure artifact returned no figures")
	}
	if a.Kind == KindTable && len(res.Tables) == 0 {
		return fmt.Errorf("a table artifact returned no tables")
	}
	return nil
}

// outputStems returns the namer of artifact id's outputs: the stem of the
// figure or table called name is id, or id-name, and must be a valid ID
// that no earlier output of the artifact took.
func outputStems(id string) func(name string) (string, error) {
	stems := map[string]bool{}
	return func(name string) (string, error) {
		s := id
		if name != "" {
			s += "-" + name
		}
		if !validID(s) {
			return "", fmt.Errorf("output name %q: want lowercase words joined by '-'", s)
		}
		if stems[s] {
			return "", fmt.Errorf("two outputs named %q", s)
		}
		stems[s] = true
		return s, nil
	}
}

// renderFigures renders every figure of res as PNG, SVG, PDF and, when
// withHTML, HTML, named by stem. A figure without its own caption, stamp or
// paper reference gets the result's caption (when it is the only figure),
// the artifact's stamp (quick mode, proxy) and its PaperRef.
func renderFigures(a Artifact, res *Result, quick, withHTML bool, stem func(string) (string, error)) ([]File, error) {
	var files []File
	for i := range res.Figures {
		fig := res.Figures[i]
		f := &fig
		if f.Caption == "" && len(res.Figures) == 1 {
			f.Caption = res.Caption
		}
		if f.Stamp == "" {
			f.Stamp = stamp(a, quick)
		}
		if f.Ref == "" {
			f.Ref = a.PaperRef
		}
		if err := f.Validate(); err != nil {
			return nil, err
		}
		s, err := stem(f.Name)
		if err != nil {
			return nil, err
		}
		png, svg, pdf, err := render.StaticAll(f)
		if err != nil {
			return nil, err
		}
		files = append(files, File{s + ".png", png}, File{s + ".svg", svg}, File{s + ".pdf", pdf})
		if withHTML {
			html, err := render.HTML(f, s)
			if err != nil {
				return nil, err
			}
			files = append(files, File{s + ".html", html})
		}
	}
	return files, nil
}

// renderTables renders every table of res as CSV, Markdown and LaTeX
// (labelled tab:<stem>), named by stem.
func renderTables(res *Result, stem func(string) (string, error)) ([]File, error) {
	var files []File
	for i := range res.Tables {
		t := &res.Tables[i]
		if err := t.Validate(); err != nil {
			return nil, err
		}
		s, err := stem(t.Name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{s + ".csv", t.CSV()}, File{s + ".md", t.Markdown()},
			File{s + ".tex", t.LaTeX("tab:" + s)})
	}
	return files, nil
}

// stamp is the status written on an artifact's images: quick mode and
// scaled-down proxies say so on the picture itself, not only in the
// sidecar. Exact full-size theory gets none.
func stamp(a Artifact, quick bool) string {
	var parts []string
	if quick {
		parts = append(parts, "QUICK MODE (small sizes, not the full run)")
	}
	if strings.Contains(a.Scale, "proxy") {
		parts = append(parts, "SCALED-DOWN PROXY of the paper's experiment")
	}
	return strings.Join(parts, " · ")
}
