package figures

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
)

// The experiment artifacts in quick mode: four scenarios in the paper's
// order, captions that say proxy and no paper numbers, and spectra with the
// sign pattern of each parametrization (docs/paper.md §5.1).
func TestWT103ArtifactsQuick(t *testing.T) {
	if _, err := os.Stat(text.DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	env := Env{Quick: true, Seed: 1, Step: func(int, int) {}}
	tab, err := wt103TableArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.Tables[0].Rows
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for i, want := range []string{"negative (convergent)", "mixed", "positive (refinement 1)", "unconstrained"} {
		if rows[i][0].Text != want {
			t.Errorf("row %d is %q, want %q", i, rows[i][0].Text, want)
		}
		if !strings.Contains(rows[i][3].Text, " ± ") {
			t.Errorf("row %d test ppl %q is not mean ± sd", i, rows[i][3].Text)
		}
		if d := rows[i][5].Text; (i == 3) != (d == "—") || (i < 3 && !strings.Contains(d, " ± ")) {
			t.Errorf("row %d: paired difference %q", i, d)
		}
	}
	for _, s := range []string{tab.Caption, tab.Tables[0].Caption} {
		if !strings.Contains(s, "proxy") || !strings.Contains(s, "not available to us") {
			t.Errorf("caption does not say proxy / not available: %q", s)
		}
	}
	spec, err := wt103SpectraArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	panels := spec.Figures[0].Panels
	if len(panels) != 4 {
		t.Fatalf("%d spectrum panels, want 4", len(panels))
	}
	for _, c := range []struct {
		panel    int
		pos, neg int // per layer and seed
	}{{0, 0, 4}, {1, 2, 2}, {2, 4, 0}} {
		for _, s := range panels[c.panel].Series {
			var pos, neg int
			for _, y := range s.Y {
				if y > 0 {
					pos++
				} else if y < 0 {
					neg++
				}
			}
			if pos != 2*c.pos || neg != 2*c.neg { // two seeds in quick mode
				t.Errorf("%s %s: %d positive, %d negative", panels[c.panel].Title, s.Name, pos, neg)
			}
		}
	}
	curves, err := wt103CurvesArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(curves.Figures[0].Panels[0].Series); n != 12 {
		t.Errorf("%d series, want 4 scenarios × (mean, min, max)", n)
	}
	if len(curves.Figures[0].Panels) != 3 || len(curves.Figures[0].Panels[2].Series) != 9 {
		t.Errorf("want a third panel with 3 scenarios × (mean, min, max) differences from unconstrained")
	}
	for _, s := range curves.Figures[0].Panels[0].Series {
		for _, y := range s.Y {
			if !(y > 1) {
				t.Errorf("perplexity %v <= 1", y)
			}
		}
	}
}
