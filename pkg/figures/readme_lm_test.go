package figures

import (
	"context"
	"fmt"
	"github.com/tokendyn/tokendyn/internal/docblock"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// The README's summary of the refinement-1 experiment comes from
// docs/results/lm.json, a committed copy of the result that
// `make figures EXPERIMENTS=full` stores under .cache/experiments/ for
// lm.Default; `make figures` (EXPERIMENTS=quick) replays its first seeds
// against it bit for bit. To refresh it after a change of the numbers:
//
//	make figures EXPERIMENTS=full
//	cp .cache/experiments/lm-*.json docs/results/lm.json
//	go test ./pkg/figures -run TestReadmeExperimentSummary -update-readme
const (
	readmeLMBegin  = "<!-- begin tab-wt103-scaled summary (docs/results/lm.json, decided by docs/prereg/lm.md; kept equal by pkg/figures TestReadmeExperimentSummary) -->\n"
	readmeLMEnd    = "<!-- end tab-wt103-scaled summary -->"
	readmeLMResult = "docs/results/lm.json"

	historyLMBegin  = "<!-- begin depth-sweep summary (docs/results/history/wt103-depth.json; kept equal by pkg/figures TestHistoryDepthSweep) -->\n"
	historyLMEnd    = "<!-- end depth-sweep summary -->"
	historyLMResult = "docs/results/history/wt103-depth.json"
)

// loadCommittedLM reads a committed LM result and checks that it is a valid
// run of spec (lm.ReadCommitted).
func loadCommittedLM(t *testing.T, rel string, spec lm.Spec) *lm.Result {
	t.Helper()
	r, err := lm.ReadCommitted(repoRoot, rel, spec)
	if err != nil {
		t.Fatalf("%v: rerun it and copy its result (see the comment above)", err)
	}
	return r
}

// TestReadmeExperimentSummary checks that the committed result is a valid
// run of lm.Default, that the current code still computes the same numbers
// (its numerics fingerprint; on amd64, where the training kernels are the
// ones that produced it), that every verdict is one of the pre-registered
// rule's four outcomes, and that README.md shows the summary computed from
// it.
func TestReadmeExperimentSummary(t *testing.T) {
	spec := lm.Default()
	r := loadCommittedLM(t, readmeLMResult, spec)
	if runtime.GOARCH == "amd64" && !purego {
		num, err := runner.LMNumerics(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		if num != r.Numerics {
			t.Fatalf("the code's numerics fingerprint %.12s differs from %s's %.12s: the numbers changed, so the README's are stale; "+
				"rerun make figures EXPERIMENTS=full and copy its result (see the comment above)", num, readmeLMResult, r.Numerics)
		}
	}
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if !experiment.IsPreregVerdict(d.Verdict, r.Prereg.Margin) {
			t.Errorf("%s: verdict %q is not an outcome of the pre-registered rule", d.ID, d.Verdict)
		}
	}
	sum, err := LMReadmeSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeBlock(t, "README.md", readmeLMBegin, readmeLMEnd, sum, "experiment summary", readmeLMResult, "TestReadmeExperimentSummary")
}

// TestHistoryDepthSweep checks that the archived result of the superseded
// design is a valid run of lm.DepthSweep and that
// docs/results/history/README.md shows its summary as README.md did.
func TestHistoryDepthSweep(t *testing.T) {
	r := loadCommittedLM(t, historyLMResult, lm.DepthSweep())
	sum, err := depthSweepSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeBlock(t, "docs/results/history/README.md", historyLMBegin, historyLMEnd, sum, "depth-sweep summary", historyLMResult, "TestHistoryDepthSweep")
}

// checkReadmeBlock compares the text of the Markdown file rel (under the
// repository root) between begin and end with want (computed from the
// committed result source by the test named test), or writes want there
// with -update-readme.
func checkReadmeBlock(t *testing.T, rel, begin, end, want, what, source, test string) {
	t.Helper()
	path := filepath.Join(repoRoot, rel)
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if *updateReadme {
		s, err := docblock.Replace(string(readme), begin, end, want)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := docblock.Body(string(readme), begin, end)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if got != want {
		t.Errorf("%s's %s differs from the one computed from %s:\n--- %s\n%s\n--- computed\n%s\n"+
			"regenerate: go test ./pkg/figures -run %s -update-readme", rel, what, source, rel, got, want, test)
	}
}

// depthSweepSummary is the summary of the superseded design (lm.DepthSweep)
// that docs/results/history/README.md shows, as README.md showed it:
// per depth and pooled, the paired differences of test perplexity per byte
// neg − pos (the paper's claim) with its verdict, neg − unconstrained, and
// the D₀ = 0 pair, as a Markdown table.
func depthSweepSummary(r *lm.Result) (string, error) {
	vs, err := r.Verdicts()
	if err != nil {
		return "", err
	}
	outcome := map[string]string{}
	for _, v := range vs {
		outcome[v.Claim] = v.Outcome
	}
	cell := func(depth, a, b string) (string, experiment.Paired, error) {
		c, err := r.Compare(depth, a, b)
		if err != nil {
			return "", experiment.Paired{}, err
		}
		p := c.Paired
		return fmt.Sprintf("%s [%s, %s]", wt103Signed(p.Mean, 3), wt103Signed(p.Lo, 3), wt103Signed(p.Hi, 3)), p, nil
	}
	var b strings.Builder
	b.WriteString("| depth (layers × d_model) | neg − pos (the paper's claim: > 0) | verdict | neg − unconstrained | neg, D₀ = 0 − pos, D₀ = 0 (symmetry: = 0) |\n")
	b.WriteString("|---|---:|---|---:|---:|\n")
	depths := []string{}
	for _, d := range r.Spec.Depths {
		depths = append(depths, d.Name())
	}
	depths = append(depths, "all")
	for _, d := range depths {
		np, p, err := cell(d, lm.ArmNeg, lm.ArmPos)
		if err != nil {
			return "", err
		}
		nn, _, err := cell(d, lm.ArmNeg, lm.ArmNone)
		if err != nil {
			return "", err
		}
		d0, _, err := cell(d, lm.ArmNegD0, lm.ArmPosD0)
		if err != nil {
			return "", err
		}
		v := outcome[lm.ClaimNegWorse+" [depth "+d+"]"]
		if v != experiment.Inconclusive {
			v = "**" + v + "**"
		}
		label := strings.Replace(d, "x", " × ", 1)
		if d == "all" {
			label = fmt.Sprintf("all (%d pairs)", p.N)
		}
		fmt.Fprintf(&b, "| %s | %s, %d/%d, p = %s | %s | %s | %s |\n", label, np, p.Pos, p.Neg, render.Fixed(p.SignP, 3), v, nn, d0)
	}
	return b.String(), nil
}
