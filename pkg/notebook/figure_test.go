package notebook

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

func TestFigurePNGIsTheRegistryPNG(t *testing.T) {
	f := &render.Figure{Title: "y = x²", Panels: []render.Panel{{
		X: render.Axis{Label: "x"}, Y: render.Axis{Label: "y"},
		Series: []render.Series{{Name: "x²", X: []float64{0, 1, 2, 3}, Y: []float64{0, 1, 4, 9}}},
	}}}
	got, err := FigurePNG(f)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := render.Static(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("FigurePNG differs from render.Static's PNG")
	}
	img, err := png.Decode(bytes.NewReader(got))
	if err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("PNG does not decode to a figure: %v", err)
	}
	if _, err := FigurePNG(&render.Figure{Title: "no panels"}); err == nil {
		t.Error("a figure without panels: want an error")
	}
	md, err := TableMarkdown(&render.Table{Caption: "T", Columns: []render.Column{{Head: "a|b"}},
		Rows: [][]render.Cell{{render.C("1")}}})
	if err != nil || !strings.Contains(md, "| a&#124;b |") {
		t.Errorf("TableMarkdown = %q, %v: want the header with | escaped", md, err)
	}
}
