package notebook

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// FigurePNG draws a renderer-independent figure (the model of pkg/figures
// and its registry) as PNG bytes, for gonbui.DisplayPng: the same pixels as
// the PNG that `tokendyn figures` writes for it.
func FigurePNG(f *render.Figure) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("notebook: nil figure")
	}
	png, _, err := render.Static(f)
	if err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	return png, nil
}

// TableMarkdown renders a table as GitHub Markdown (caption, then the table),
// for gonbui.DisplayMarkdown.
func TableMarkdown(t *render.Table) (string, error) {
	if t == nil {
		return "", fmt.Errorf("notebook: nil table")
	}
	if err := t.Validate(); err != nil {
		return "", fmt.Errorf("notebook: %w", err)
	}
	return string(t.Markdown()), nil
}
