package figures

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
)

// The README's summary of the refinement-1 experiment comes from
// docs/results/wt103-depth.json, a committed copy of the result that
// `make figures` stores under .cache/experiments/ for lm.Default. To refresh
// it after a change of the numbers:
//
//	make figures
//	cp .cache/experiments/wt103-depth-*.json docs/results/wt103-depth.json
//	go test ./pkg/figures -run TestReadmeExperimentSummary -update-readme
const (
	readmeLMBegin  = "<!-- begin tab-wt103-scaled summary (docs/results/wt103-depth.json; kept equal by pkg/figures TestReadmeExperimentSummary) -->\n"
	readmeLMEnd    = "<!-- end tab-wt103-scaled summary -->"
	readmeLMResult = "docs/results/wt103-depth.json"
)

// TestReadmeExperimentSummary checks that the committed result is a valid
// run of lm.Default, that the current code still computes the same numbers
// (its numerics fingerprint; on amd64, where the training kernels are the
// ones that produced it), and that README.md shows the summary computed
// from it.
func TestReadmeExperimentSummary(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, readmeLMResult))
	if err != nil {
		t.Fatal(err)
	}
	var r lm.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", readmeLMResult, err)
	}
	spec := lm.Default()
	norm := func(s lm.Spec) string {
		s.Parallel, s.Base.Threads = 0, 0
		j, _ := json.Marshal(s)
		return string(j)
	}
	if norm(r.Spec) != norm(spec) {
		t.Fatalf("%s is a run of another specification than lm.Default: rerun make figures and copy its result (see the comment above)", readmeLMResult)
	}
	if err := r.Validate(spec); err != nil {
		t.Fatalf("%s: %v", readmeLMResult, err)
	}
	if runtime.GOARCH == "amd64" && !purego {
		num, err := runner.LMNumerics(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		if num != r.Numerics {
			t.Fatalf("the code's numerics fingerprint %.12s differs from %s's %.12s: the numbers changed, so the README's are stale; "+
				"rerun make figures and copy its result (see the comment above)", num, readmeLMResult, r.Numerics)
		}
	}
	sum, err := WT103ReadmeSummary(&r)
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeBlock(t, readmeLMBegin, readmeLMEnd, sum, "experiment summary", readmeLMResult, "TestReadmeExperimentSummary")
}

// checkReadmeBlock compares README.md's text between begin and end with
// want (computed from the committed result source by the test named test),
// or writes want there with -update-readme.
func checkReadmeBlock(t *testing.T, begin, end, want, what, source, test string) {
	t.Helper()
	path := filepath.Join(repoRoot, "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q block", strings.TrimSpace(begin), end)
	}
	if *updateReadme {
		s = s[:i+len(begin)] + want + s[j:]
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := s[i+len(begin) : j]; got != want {
		t.Errorf("README.md's %s differs from the one computed from %s:\n--- README\n%s\n--- computed\n%s\n"+
			"regenerate: go test ./pkg/figures -run %s -update-readme", what, source, got, want, test)
	}
}
