package figures

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Render gives, in memory and without the ECharts bundle, the bytes that
// Build writes to disk (the sidecar aside: its wall time differs).
func TestRenderMatchesBuild(t *testing.T) {
	needECharts(t)
	reg := demoArtifacts()
	out := t.TempDir()
	if _, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: out, EChartsJS: echartsTestPath, Registry: reg}); err != nil {
		t.Fatal(err)
	}
	for _, a := range reg {
		r, err := Render(context.Background(), reg, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Files) < 2 {
			t.Fatalf("%s: %d files rendered", a.ID, len(r.Files))
		}
		for _, f := range r.Files {
			disk, err := os.ReadFile(filepath.Join(out, f.Name))
			if err != nil {
				t.Fatalf("%s: Render gave %s, Build did not write it: %v", a.ID, f.Name, err)
			}
			if strings.HasSuffix(f.Name, ".json") {
				continue
			}
			if !bytes.Equal(disk, f.Data) {
				t.Errorf("%s: %s differs between Render (%d bytes) and Build (%d bytes)", a.ID, f.Name, len(f.Data), len(disk))
			}
		}
		switch a.Kind {
		case KindFigure:
			if len(r.PNGs) != 1 || r.Markdown != "" {
				t.Errorf("%s: %d PNGs and %d bytes of Markdown, want 1 and 0", a.ID, len(r.PNGs), len(r.Markdown))
			}
			for _, p := range r.PNGs {
				if _, err := png.Decode(bytes.NewReader(p)); err != nil {
					t.Errorf("%s: PNG does not decode: %v", a.ID, err)
				}
			}
		case KindTable:
			if len(r.PNGs) != 0 || !strings.Contains(r.Markdown, "| convergence, all |") {
				t.Errorf("%s: %d PNGs, Markdown %q", a.ID, len(r.PNGs), r.Markdown)
			}
		}
		if !strings.Contains(r.Sidecar, `"id": "`+a.ID+`"`) {
			t.Errorf("%s: sidecar %q does not name the artifact", a.ID, r.Sidecar)
		}
	}
}

// Render names an unknown ID.
func TestRenderUnknownID(t *testing.T) {
	if _, err := Render(context.Background(), demoArtifacts(), "nope", true); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown ID: err = %v", err)
	}
}
