package figures

import (
	"context"
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// Kind says whether an artifact is a figure or a table of the paper.
type Kind string

const (
	KindFigure Kind = "figure"
	KindTable  Kind = "table"
)

// Standard scale labels. Experiment artifacts write their own
// "scaled-down proxy of ..." label.
const (
	ScaleExactTheory = "exact theory, CPU"
)

// NoteOwnParameters is the note attached to artifacts whose parameters we
// chose because the paper's values could not be read (docs/paper.md §0, §7).
const NoteOwnParameters = "parameters are our own choice; the paper's values are UNCONFIRMED (docs/paper.md §7)"

// Artifact is one entry of the registry: a figure or table of the paper (or
// a figure backing one of its claims), how it is labelled, and how to build
// it. Artifacts hold no state; Build computes everything from packages
// (pkg/theory, pkg/mamba, ...) each time it is called.
type Artifact struct {
	ID       string // file stem and --only name, e.g. "fig6-2d"; [a-z0-9-]+
	Kind     Kind
	Title    string // one line, shown in INDEX.md and as the page title
	PaperRef string // what it reproduces: "Table 1", "Figure 6", "claim: tokens diverge at different rates"
	Notebook string // the notebook that shows it, e.g. "notebooks/03-convergence.ipynb"
	Scale    string // ScaleExactTheory or "scaled-down proxy of ..."
	Note     string // e.g. NoteOwnParameters; "" when every value is the paper's
	Look     string // one sentence: what to look at (INDEX.md, the site's gallery); see lookDefault
	Seed     uint64 // seed of every random choice made by Build

	// Build computes the artifact. It must be deterministic given env (same
	// env, same Result) and should return promptly when ctx is cancelled.
	Build func(ctx context.Context, env Env) (*Result, error)
}

// Env is what an artifact's Build gets.
type Env struct {
	Quick bool   // small sizes for tests and smoke runs
	Seed  uint64 // the artifact's Seed

	// Step reports progress inside the artifact (done of total units). It is
	// never nil.
	Step func(done, total int)

	// experiments holds the results of the experiments read by the
	// artifacts of one Build (sharedExperiment); nil outside Build.
	experiments *experimentMemo
	// source supplies the experiments' results (Options.Experiments).
	source Experiments
}

// Result is what Build returns: the parameters actually used, a one-line
// caption, and the figures and tables to write.
type Result struct {
	Params  any    // a struct that marshals to JSON (the sidecar's "parameters")
	Caption string // one line, written to the sidecar and INDEX.md
	Figures []render.Figure
	Tables  []render.Table

	// inputs are the experiment's inputs of an artifact drawn from a
	// stored result (experimentInputs), for the sidecar's provenance.
	inputs []Input
}

// validID reports whether s is lowercase letters and digits in words
// joined by single '-' (file stems and --only names).
func validID(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// validate checks the static fields of an artifact.
func (a Artifact) validate() error {
	if !validID(a.ID) {
		return fmt.Errorf("figures: artifact ID %q: want lowercase words joined by '-'", a.ID)
	}
	if a.Kind != KindFigure && a.Kind != KindTable {
		return fmt.Errorf("figures: artifact %s: kind %q, want %q or %q", a.ID, a.Kind, KindFigure, KindTable)
	}
	for _, f := range []struct{ name, v string }{
		{"title", a.Title}, {"paper reference", a.PaperRef}, {"notebook", a.Notebook}, {"scale", a.Scale},
	} {
		if f.v == "" {
			return fmt.Errorf("figures: artifact %s: empty %s", a.ID, f.name)
		}
	}
	if a.Build == nil {
		return fmt.Errorf("figures: artifact %s: nil Build", a.ID)
	}
	return nil
}
