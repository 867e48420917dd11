package notebook

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/figures"
)

// Artifact is one registry artifact built for display in a notebook.
type Artifact struct {
	ID string
	// PNGs are the artifact's raster figures, in file-name order.
	PNGs [][]byte
	// Markdown is the table of a table artifact ("" for figures).
	Markdown string
	// Caption is the sidecar's JSON, for the curious.
	Sidecar string
}

// BuildArtifact builds one artifact of the pkg/figures registry (the same
// code as `tokendyn figures --only id`) into a temporary directory and
// returns what a notebook displays. quick selects the small sizes used by the
// tests, for notebooks that must execute in seconds.
func BuildArtifact(ctx context.Context, id string, quick bool) (*Artifact, error) {
	js, err := FindECharts()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tokendyn-artifact-")
	if err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	defer os.RemoveAll(dir)
	rep, err := figures.Build(ctx, figures.Options{OutDir: dir, EChartsJS: js, Quick: quick, Only: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("notebook: build %s: %w", id, err)
	}
	out := &Artifact{ID: id}
	var files []string
	for _, b := range rep.Artifacts {
		if b.ID == id {
			files = append(files, b.Files...)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, fmt.Errorf("notebook: read %s: %w", f, err)
		}
		switch {
		case strings.HasSuffix(f, ".png"):
			out.PNGs = append(out.PNGs, data)
		case strings.HasSuffix(f, ".md"):
			out.Markdown = string(data)
		case strings.HasSuffix(f, ".json"):
			out.Sidecar = string(data)
		}
	}
	if len(out.PNGs) == 0 && out.Markdown == "" {
		return nil, fmt.Errorf("notebook: artifact %s wrote no PNG and no table (files %v)", id, files)
	}
	return out, nil
}
