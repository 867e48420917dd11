package figures

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// The reordering artifacts in quick mode: both arms with mean ± sd, a row
// that says the paper's numbers are not available, captions that say
// proxy, curves as mean/min/max per arm, and an importance figure whose
// soft permutation matrix is row-stochastic.
func TestReorderArtifactsQuick(t *testing.T) {
	if _, err := os.Stat(vision.DefaultFashionMNISTDir); err != nil {
		t.Skip("dataset-fashion-mnist is not installed")
	}
	env := Env{Quick: true, Seed: 1, Step: func(int, int) {}}
	tab, err := reorderTableArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.Tables[0].Rows
	if len(rows) != 3 {
		t.Fatalf("%d rows, want without, with, paper", len(rows))
	}
	for i, want := range []string{"without reordering", "with reordering"} {
		if rows[i][0].Text != want {
			t.Errorf("row %d is %q, want %q", i, rows[i][0].Text, want)
		}
		if !strings.Contains(rows[i][1].Text, " ± ") {
			t.Errorf("row %d accuracy %q is not mean ± sd", i, rows[i][1].Text)
		}
	}
	if !strings.Contains(rows[2][1].Text, "not available") {
		t.Errorf("paper row says %q", rows[2][1].Text)
	}
	for _, s := range []string{tab.Caption, tab.Tables[0].Caption} {
		if !strings.Contains(s, "proxy") || !strings.Contains(s, "not available to us") {
			t.Errorf("caption does not say proxy / not available: %q", s)
		}
	}
	for _, a := range []Artifact{reorderTableArtifact(), reorderCurvesArtifact(), reorderImportanceArtifact()} {
		if !strings.Contains(a.Title, "proxy") || !strings.Contains(a.Scale, "proxy") || !strings.Contains(a.Note, "not available to us") {
			t.Errorf("%s: title %q, scale %q, note %q must say proxy / not available", a.ID, a.Title, a.Scale, a.Note)
		}
	}

	curves, err := reorderCurvesArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	panels := curves.Figures[0].Panels
	if len(panels) != 4 {
		t.Fatalf("%d curve panels, want test acc, test loss, train loss, train acc", len(panels))
	}
	cfg := reorderQuickConfig()
	for _, p := range panels {
		if len(p.Series) != 6 {
			t.Errorf("%s: %d series, want 2 arms × (mean, min, max)", p.Title, len(p.Series))
		}
		for k := 0; k+2 < len(p.Series); k += 3 {
			mean, lo, hi := p.Series[k], p.Series[k+1], p.Series[k+2]
			if len(mean.X) != cfg.Epochs {
				t.Errorf("%s %s: %d points, want %d epochs", p.Title, mean.Name, len(mean.X), cfg.Epochs)
			}
			for e := range mean.Y {
				if !(lo.Y[e] <= mean.Y[e] && mean.Y[e] <= hi.Y[e]) {
					t.Errorf("%s %s epoch %d: min %v, mean %v, max %v out of order", p.Title, mean.Name, e+1, lo.Y[e], mean.Y[e], hi.Y[e])
				}
			}
		}
	}
	for _, s := range panels[0].Series {
		for _, y := range s.Y {
			if !(y >= 0 && y <= 100) {
				t.Errorf("accuracy %v%% outside [0, 100]", y)
			}
		}
	}

	imp, err := reorderImportanceArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	ip := imp.Figures[0].Panels
	if len(ip) != 6 {
		t.Fatalf("%d importance panels, want 4 images, the score grid and P̂", len(ip))
	}
	for i := 0; i < 4; i++ {
		if z := ip[i].Heat.Z; len(z) != 28 || len(z[0]) != 28 {
			t.Errorf("overlay %d is %d×%d, want 28×28", i, len(z), len(z[0]))
		}
	}
	if z := ip[4].Heat.Z; len(z) != 7 || len(z[0]) != 7 {
		t.Errorf("score grid is %d×%d, want 7×7", len(z), len(z[0]))
	}
	phat := ip[5].Heat.Z
	if len(phat) != 49 {
		t.Fatalf("P̂ has %d rows, want 49", len(phat))
	}
	for k, row := range phat {
		var s float64
		for _, v := range row {
			if v < 0 {
				t.Errorf("P̂ row %d has a negative entry %v", k, v)
			}
			s += v
		}
		if math.Abs(s-1) > 1e-5 {
			t.Errorf("P̂ row %d sums to %v", k, s)
		}
	}
}

// importanceOverlay: the colour is the rank of the patch score scaled to
// [−1, 1], the magnitude 0.3 + 0.7·pixel.
func TestImportanceOverlay(t *testing.T) {
	s := train.ReorderSample{H: 4, W: 4, Pixels: make([]float32, 16), Scores: []float64{0.5, -2, 3, 0}}
	for i := range s.Pixels {
		s.Pixels[i] = 1
	}
	s.Pixels[0] = 0
	z := importanceOverlay(s, 2)
	// Ranks: patch 1 (−2) → −1, patch 3 (0) → −1/3, patch 0 (0.5) → 1/3, patch 2 (3) → 1.
	for i, test := range []struct {
		y, x int
		want float64
	}{
		{0, 0, 0.3 / 3}, {0, 1, 1.0 / 3}, {1, 1, 1.0 / 3},
		{0, 2, -1}, {1, 3, -1},
		{2, 0, 1}, {3, 1, 1},
		{2, 2, -1.0 / 3}, {3, 3, -1.0 / 3},
	} {
		if got := z[test.y][test.x]; math.Abs(got-test.want) > 1e-12 {
			t.Errorf("%d: pixel (%d,%d) = %v, want %v", i, test.y, test.x, got, test.want)
		}
	}
	if m := meanRowMax([][]float64{{0.2, 0.8}, {0.5, 0.5}}); math.Abs(m-0.65) > 1e-15 {
		t.Errorf("meanRowMax = %v, want 0.65", m)
	}
	g := scoreGrid(s, 2)
	if len(g) != 2 || g[0][0] != 0.5-0.375 || g[1][0] != 3-0.375 {
		t.Errorf("score grid %v, want scores minus their mean 0.375", g)
	}
}
