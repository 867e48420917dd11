package figures

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Rendered is one registry artifact built in memory, for display (notebooks).
type Rendered struct {
	ID string
	// PNGs are the artifact's raster figures, in the order of its figures.
	PNGs [][]byte
	// Markdown is the artifact's tables, in their order, joined by a blank
	// line ("" for figures).
	Markdown string
	// Sidecar is the sidecar's JSON.
	Sidecar string
	// Files is every output in writing order, byte for byte what
	// `tokendyn figures` writes (the sidecar's wall time aside).
	Files []File
}

// Render builds the artifact id of reg (nil means All()) with the same code
// as `tokendyn figures --only id`, in memory: no file is written and the
// ECharts bundle is not needed (the HTML pages only reference it).
func Render(ctx context.Context, reg []Artifact, id string, quick bool) (*Rendered, error) {
	if reg == nil {
		reg = All()
	}
	sel, err := Select(reg, []string{id})
	if err != nil {
		return nil, err
	}
	a := sel[0]
	if err := a.validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	res, err := a.Build(ctx, Env{Quick: quick, Seed: a.Seed, Step: func(int, int) {}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	files, err := renderResult(a, res, quick, true, start, newProvenanceContext("", Stored{}))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	out := &Rendered{ID: id, Files: files}
	var md []string
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Name, ".png"):
			out.PNGs = append(out.PNGs, f.Data)
		case strings.HasSuffix(f.Name, ".md"):
			md = append(md, string(f.Data))
		case strings.HasSuffix(f.Name, ".json"):
			out.Sidecar = string(f.Data)
		}
	}
	out.Markdown = strings.Join(md, "\n")
	return out, nil
}
