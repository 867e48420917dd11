package figures

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// The experiment artifacts in quick mode: one row per (depth, arm) in the
// specification's order, paired comparisons with a verdict computed by the
// rule, captions that say proxy and no paper numbers, spectra with the sign
// pattern of each parametrization (docs/paper.md §5.1), and the comparison
// points equal to the paired differences.
func TestWT103ArtifactsQuick(t *testing.T) {
	if _, err := os.Stat(text.DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	env := testEnv(true, 1)
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
	for _, tb := range tab.Tables {
		checkNumericCSV(t, tb)
		checkLaTeX(t, tb)
	}
	params := tab.Params.(wt103Params)
	paired := tab.Tables[1].Rows
	if len(paired) != len(params.Comparisons) || len(params.Verdicts) == 0 {
		t.Fatalf("%d paired rows for %d comparisons, %d verdicts", len(paired), len(params.Comparisons), len(params.Verdicts))
	}
	if params.Decisions == nil || len(params.Decisions) != len(params.Verdicts) || len(paired) != len(params.Decisions) {
		t.Fatalf("quick mode is decided by the smoke pre-registration: %d decisions, %d verdicts, %d rows",
			len(params.Decisions), len(params.Verdicts), len(paired))
	}
	for i, v := range params.Verdicts {
		d := params.Decisions[i]
		if !experiment.IsPreregVerdict(v.Outcome, d.Margin) || v.Outcome != d.Verdict || paired[i][len(paired[i])-1].Text != d.Verdict {
			t.Errorf("verdict %q, decision %q, table %q", v.Outcome, d.Verdict, paired[i][len(paired[i])-1].Text)
		}
	}
	for _, s := range []string{tab.Caption, tab.Tables[0].Caption} {
		if !strings.Contains(s, "proxy") || !strings.Contains(s, "not available to us") {
			t.Errorf("caption does not say proxy / not available: %q", s)
		}
	}
	if !strings.Contains(tab.Tables[1].Caption, experiment.PreregRule) {
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
	gap, err := wt103ComparisonsArtifact().Build(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wt103Experiment(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Compare(spec.Depths[0].Name(), lm.ArmNegWD, lm.ArmPosWD) // H1, the first comparison
	if err != nil {
		t.Fatal(err)
	}
	var pts *render.Series
	for i, s := range gap.Figures[0].Panels[0].Series {
		if s.Name == "one point per seed" {
			pts = &gap.Figures[0].Panels[0].Series[i]
		}
	}
	if pts == nil || len(pts.Y) != len(params.Decisions)*len(spec.Seeds) || pts.Y[0] != c.Paired.Diffs[0] || pts.Y[1] != c.Paired.Diffs[1] {
		t.Fatalf("comparison points %+v, want the paired differences %v of H1 first", pts, c.Paired.Diffs)
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

// wt103TestResult is a small real result of runner.RunLM on a synthetic corpus.
func wt103TestResult(tb testing.TB) *lm.Result {
	tb.Helper()
	spec := lm.Quick()
	spec.Base.Model.Vocab, spec.Base.Data.SeqLen = 12, 16
	spec.Base.Train.Steps, spec.Base.Train.EvalEvery, spec.Base.FinalEvalWindows = 8, 4, 8
	spec.Depths = []lm.Depth{{DModel: 8, NLayer: 1}, {DModel: 8, NLayer: 2}}
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([]byte, 6000)
	for i := 1; i < len(s); i++ {
		s[i] = byte((int(s[i-1])*7 + 1 + rng.IntN(2)) % 12)
	}
	c, err := text.FromTokens("synthetic", 12, s[:4800], s[4800:5400], s[5400:])
	if err != nil {
		tb.Fatal(err)
	}
	r, err := runner.RunLM(context.Background(), spec, c, runner.Hooks{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// Whatever a cache file holds, a result that validates gives the four
// artifacts without a panic (rendering is covered by the writers' tests).
func FuzzWT103Artifacts(f *testing.F) {
	r := wt103TestResult(f)
	b, err := json.Marshal(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(strings.Replace(string(b), `"perplexity":`, `"perplexity":1e300,"x":`, 1)))
	prereg, err := experiment.LoadPrereg(filepath.Join(repoRoot, lm.PreregPath))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got lm.Result
		if json.Unmarshal(data, &got) != nil || got.Validate(got.Spec) != nil || got.Spec.Validate() != nil {
			return
		}
		// Without a pre-registration (the older rule), then with the smoke one.
		for pass := range 2 {
			if pass == 1 {
				p, err := lm.SmokePrereg(prereg, got.Spec)
				if err != nil {
					return
				}
				got.Prereg = &p
			}
			for _, build := range []func(*lm.Result) (*Result, error){wt103Table, wt103Curves, wt103Spectra, wt103Comparisons} {
				if res, err := build(&got); err == nil && res.Caption == "" {
					t.Fatal("an artifact without a caption")
				}
			}
		}
	})
}
