package figures

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
)

// reorderTestResult runs a tiny reordering experiment on random 28×28
// images of 3 classes (milliseconds).
func reorderTestResult(t testing.TB) *reorder.Result {
	t.Helper()
	set := func(n int, seed uint64) *vision.Set {
		rng := rand.New(rand.NewPCG(seed, seed))
		s := &vision.Set{N: n, H: 28, W: 28, Images: make([]float32, n*784), Labels: make([]uint8, n)}
		for i := range s.Images {
			s.Images[i] = float32(rng.Float64())
		}
		for i := range s.Labels {
			s.Labels[i] = uint8(i % 3)
		}
		return s
	}
	spec := reorder.Quick()
	spec.Patches = []int{7, 4}
	spec.DModel, spec.Batch, spec.Probe = 8, 8, 4
	d, err := reorder.NewData(set(36, 1), set(18, 2), 3, spec, "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.RunReorder(context.Background(), spec, d, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The table has a row per (length, arm) plus the paper's, the paired
// columns of the reordering arms agree with Summary, the verdicts in the
// caption are Verdict()'s and the rule is stated; every artifact says
// proxy.
func TestReorderTable(t *testing.T) {
	r := reorderTestResult(t)
	tab, err := reorderTable(r)
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.Tables[0].Rows
	if len(rows) != 2*3+1 {
		t.Fatalf("%d rows, want 2 lengths × 3 arms + the paper's", len(rows))
	}
	sum := r.Summary()
	c := sum.Patches[1].Compare[0]
	if got, want := rows[4][5].Text, pairedCI(c.Final, 100, 2); got != want || rows[4][7].Text != c.Verdicts[0].Outcome {
		t.Errorf("Δ accuracy cell %q / verdict %q, want %q / %q", got, rows[4][7].Text, want, c.Verdicts[0].Outcome)
	}
	if rows[3][5].Text != "—" || rows[0][0].Text != "16" || rows[3][0].Text != "49" {
		t.Errorf("baseline row has a Δ %q or lengths %q %q", rows[3][5].Text, rows[0][0].Text, rows[3][0].Text)
	}
	for _, v := range r.Verdict() {
		if !strings.Contains(tab.Caption, v.Claim+": "+strings.ToUpper(v.Outcome)) {
			t.Errorf("caption lacks the verdict %q: %q", v.Claim, v.Outcome)
		}
	}
	if !strings.Contains(tab.Tables[0].Caption, experiment.Rule) || !strings.Contains(tab.Caption, "not available to us") {
		t.Error("the table caption does not state the rule, or the caption does not say the paper's numbers are not available")
	}
	for _, a := range []Artifact{reorderTableArtifact(), reorderCurvesArtifact(), reorderImportanceArtifact(), reorderSharpnessArtifact()} {
		if !strings.Contains(a.Title, "proxy") || !strings.Contains(a.Scale, "scaled-down proxy") || !strings.Contains(a.Note, "not available to us") {
			t.Errorf("%s: title %q, scale %q, note %q must say proxy / not available", a.ID, a.Title, a.Scale, a.Note)
		}
	}
}

// The figures: curves with mean inside [lo, hi] per arm, the paired
// difference panels, the sharpness panel's row max within [1/L, 1], and a
// row-stochastic soft permutation.
func TestReorderFigures(t *testing.T) {
	r := reorderTestResult(t)
	checkReorderFigures(t, r)
	sh, _ := reorderSharpness(r)
	for i, p := range sh.Figures[0].Panels {
		L := []float64{16, 49}[i]
		if len(p.Series) != 2*3 || len(p.Rules) != 1 {
			t.Fatalf("%s: %d series, %d rules; want 2 arms × 3 and the uniform line", p.Title, len(p.Series), len(p.Rules))
		}
		for _, s := range p.Series {
			hard := strings.Contains(s.Name, "hard")
			for _, y := range s.Y {
				if !(y >= 1/L-1e-6 && y <= 1+1e-6) || hard && math.Abs(y-1) > 1e-6 {
					t.Errorf("%s, %s: row max %v outside [1/L, 1] (or not 1 for the hard arm)", p.Title, s.Name, y)
				}
			}
		}
	}
	if !strings.Contains(sh.Caption, "hard straight-through arm (not the authors' setting)") {
		t.Errorf("the sharpness caption does not explain the hard arm: %q", sh.Caption)
	}
	imp, _ := reorderImportance(r)
	ph := imp.Figures[0].Panels[len(imp.Figures[0].Panels)-1].Heat.Z
	for k, row := range ph {
		var s float64
		for _, v := range row {
			s += v
		}
		if math.Abs(s-1) > 1e-4 {
			t.Errorf("row %d of P̂ sums to %v", k, s)
		}
	}
}

// checkReorderFigures builds every content function of r and checks the
// structural properties every valid result must give.
func checkReorderFigures(t *testing.T, r *reorder.Result) {
	t.Helper()
	for name, f := range map[string]func(*reorder.Result) (*Result, error){
		"table": reorderTable, "curves": reorderCurves, "importance": reorderImportance, "sharpness": reorderSharpness,
	} {
		res, err := f(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := json.Marshal(res.Params); err != nil {
			t.Fatalf("%s: sidecar parameters: %v", name, err)
		}
		for _, fig := range res.Figures {
			for _, p := range fig.Panels {
				for k := 0; k+2 < len(p.Series) && name == "curves"; k += 3 {
					m, lo, hi := p.Series[k], p.Series[k+1], p.Series[k+2]
					for e := range m.Y {
						if !(lo.Y[e] <= m.Y[e]+1e-9 && m.Y[e] <= hi.Y[e]+1e-9) {
							t.Fatalf("%s %s epoch %d: %v not in [%v, %v]", p.Title, m.Name, e+1, m.Y[e], lo.Y[e], hi.Y[e])
						}
					}
				}
			}
		}
	}
}

// Quick mode end to end on the real data (seconds).
func TestReorderArtifactsQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the quick experiment")
	}
	if _, err := reorder.FashionDigest(""); err != nil {
		t.Skip("dataset-fashion-mnist is not installed")
	}
	env := testEnv(true, 1)
	res, err := reorderSharpnessArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Figures[0].Panels) != len(reorder.Quick().Patches) {
		t.Errorf("%d panels", len(res.Figures[0].Panels))
	}
}

// Whatever a cache file holds, a result that passes reorder.Decode gives
// figures without a panic.
func FuzzReorderArtifacts(f *testing.F) {
	r := reorderTestResult(f)
	b, err := json.Marshal(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(strings.Replace(string(b), `"row_max":0.`, `"row_max":1e-9`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := reorder.Decode(data)
		if err != nil {
			return
		}
		checkReorderFigures(t, r)
	})
}

// ImportanceOverlay against a direct count: patch l's rank is the number of
// patches with a smaller score (or an equal one at a lower index).
func TestImportanceOverlay(t *testing.T) {
	const H, W, patch = 8, 12, 4 // 2 × 3 patches
	rng := rand.New(rand.NewPCG(3, 3))
	s := reorder.Sample{H: H, W: W, Pixels: make([]float32, H*W), Scores: []float64{0.4, -1, 0.4, 2, -0.3, 0}}
	for i := range s.Pixels {
		s.Pixels[i] = float32(rng.Float64())
	}
	z := ImportanceOverlay(s, patch)
	L := len(s.Scores)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			l := (y/patch)*(W/patch) + x/patch
			below := 0
			for j, v := range s.Scores {
				if v < s.Scores[l] || v == s.Scores[l] && j < l {
					below++
				}
			}
			want := (0.3 + 0.7*float64(s.Pixels[y*W+x])) * (2*float64(below)/float64(L-1) - 1)
			if math.Abs(z[y][x]-want) > 1e-12 {
				t.Fatalf("pixel (%d, %d) of patch %d: %v, want %v", y, x, l, z[y][x], want)
			}
		}
	}
}

// With the pre-registration loaded (its smoke version for reorder.Quick),
// the table states the pre-registered rule, the comparisons of the
// registered endpoints carry its verdicts, and a second table holds one
// row per hypothesis with its decision.
func TestReorderTablePreregistered(t *testing.T) {
	r := reorderTestResult(t)
	if err := r.Decided(repoRoot, reorder.PreregPath); err != nil {
		t.Fatal(err)
	}
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := reorderTable(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Tables) != 2 || len(tab.Tables[1].Rows) != len(ds) {
		t.Fatalf("%d tables, want the summary and %d decision rows", len(tab.Tables), len(ds))
	}
	if !strings.Contains(tab.Tables[0].Caption, experiment.PreregRule) {
		t.Error("the table caption does not state the pre-registered rule")
	}
	for i, d := range ds {
		if row := tab.Tables[1].Rows[i]; row[0].Text != d.ID || row[9].Text != d.Verdict {
			t.Errorf("decision row %d: %q %q, want %q %q", i, row[0].Text, row[9].Text, d.ID, d.Verdict)
		}
	}
	// 49 tokens is the second length of the test result: its τ = 1 row
	// shows H1's verdict.
	if got := tab.Tables[0].Rows[4][7].Text; got != ds[0].Verdict {
		t.Errorf("τ = 1 accuracy verdict %q, want H1's %q", got, ds[0].Verdict)
	}
}
