package notebook

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os/exec"
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
	if err != nil || !strings.Contains(md, `a\|b`) {
		t.Errorf("TableMarkdown = %q, %v: want the header with | escaped", md, err)
	}
}

// pkg/notebook is what every notebook imports: it must not pull in the
// training stack (a notebook that only draws should build in seconds).
func TestNoTrainingStackInImports(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-json=ImportPath", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for dec.More() {
		var p struct{ ImportPath string }
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		n++
		for _, banned := range []string{"/pkg/train", "/pkg/model", "/pkg/mamba", "/data/"} {
			if strings.Contains(p.ImportPath, "github.com/tokendyn/tokendyn"+banned) {
				t.Errorf("pkg/notebook depends on %s", p.ImportPath)
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list -deps listed %d packages: not a real dependency list", n)
	}
}
