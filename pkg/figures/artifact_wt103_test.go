package figures

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
)

// The experiment artifacts in quick mode: one row per (depth, arm) in the
// specification's order, paired comparisons with a verdict computed by the
// rule, captions that say proxy and no paper numbers, spectra with the sign
// pattern of each parametrization (docs/paper.md §5.1), and the depth-gap
// points equal to the paired differences.
func TestWT103ArtifactsQuick(t *testing.T) {
	if _, err := os.Stat(text.DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	env := Env{Quick: true, Seed: 1, Step: func(int, int) {}}
	spec := lm.Quick()
	tab, err := wt103TableArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	rows := tab.Tables[0].Rows
	if len(rows) != len(spec.Depths)*len(spec.Arms) {
		t.Fatalf("%d rows, want depths × arms", len(rows))
	}
	for i, row := range rows {
		d, a := spec.Depths[i/len(spec.Arms)], spec.Arms[i%len(spec.Arms)]
		if row[0].Text != d.Name() || row[1].Text != wt103Label(a.Name) || !strings.Contains(row[3].Text, " ± ") {
			t.Errorf("row %d: %q %q %q", i, row[0].Text, row[1].Text, row[3].Text)
		}
	}
	params := tab.Params.(wt103Params)
	paired := tab.Tables[1].Rows
	if len(paired) != len(params.Comparisons) || len(params.Verdicts) == 0 {
		t.Fatalf("%d paired rows for %d comparisons, %d verdicts", len(paired), len(params.Comparisons), len(params.Verdicts))
	}
	for _, v := range params.Verdicts {
		switch v.Outcome {
		case experiment.Supported, experiment.NotSupported, experiment.Inconclusive:
		default:
			t.Errorf("verdict %q", v.Outcome)
		}
	}
	for _, s := range []string{tab.Caption, tab.Tables[0].Caption} {
		if !strings.Contains(s, "proxy") || !strings.Contains(s, "not available to us") {
			t.Errorf("caption does not say proxy / not available: %q", s)
		}
	}
	if !strings.Contains(tab.Tables[1].Caption, experiment.Rule) {
		t.Error("the paired table does not state the verdict rule")
	}
	sp, err := wt103SpectraArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range sp.Figures[0].Panels {
		a := spec.Arms[i]
		for _, s := range p.Series {
			for _, y := range s.Y {
				if a.Param == "pos" && y < 0 || a.Param == "neg" && y > 0 {
					t.Errorf("%s: eigenvalue %v of the wrong sign", p.Title, y)
				}
			}
		}
	}
	gap, err := wt103DepthGapArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wt103Experiment(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Compare(spec.Depths[0].Name(), lm.ArmNeg, lm.ArmPos)
	if err != nil {
		t.Fatal(err)
	}
	var pts *Series
	for i, s := range gap.Figures[0].Panels[0].Series {
		if strings.HasPrefix(s.Name, "neg − pos, one point per seed") {
			pts = &gap.Figures[0].Panels[0].Series[i]
		}
	}
	if pts == nil || len(pts.Y) != len(spec.Depths)*len(spec.Seeds) || pts.Y[0] != c.Paired.Diffs[0] {
		t.Fatalf("depth-gap points %+v, want the paired differences %v first", pts, c.Paired.Diffs)
	}
	curves, err := wt103CurvesArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range curves.Figures[0].Panels[0].Series {
		for _, y := range s.Y {
			if !(y > 1) {
				t.Errorf("perplexity %v <= 1", y)
			}
		}
	}
}
