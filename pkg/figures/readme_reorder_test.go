package figures

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
)

// The README's summary of the refinement-2 experiment comes from
// docs/results/reorder.json, the reduced copy (reorder.Reduce: no
// importance records) of the result that `make figures` stores under
// .cache/experiments/ for reorder.Default. To refresh both after a change
// of the numbers:
//
//	make figures
//	go test ./pkg/figures -run TestReadmeReorderSummary -update-reorder-result -update-readme
//
// -update-reorder-result rewrites docs/results/reorder.json from the stored
// result of the current key (reorder.Load; it fails when there is none),
// -update-readme then rewrites the README's block from it.
var updateReorderResult = flag.Bool("update-reorder-result", false,
	"rewrite docs/results/reorder.json from the stored result of reorder.Default under .cache/experiments/")

const (
	readmeReorderBegin = "<!-- begin tab-imagenet-scaled summary (docs/results/reorder.json; kept equal by pkg/figures TestReadmeReorderSummary; " +
		"regenerate after make figures: go test ./pkg/figures -run TestReadmeReorderSummary -update-reorder-result -update-readme) -->\n"
	readmeReorderEnd    = "<!-- end tab-imagenet-scaled summary -->"
	readmeReorderResult = "docs/results/reorder.json"
)

// readReorderResult reads the committed reduced result at rel (under the
// repository root) with the pre-registration of its design, if it has one
// (reorder.ReadCommitted).
func readReorderResult(t *testing.T, rel string, prereg string) *reorder.Result {
	t.Helper()
	r, err := reorder.ReadCommitted(repoRoot, rel, prereg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const (
	historyReorderResult = "docs/results/history/reorder-5seeds.json"
	historyReorderBegin  = "<!-- begin five-seed reordering summary (docs/results/history/reorder-5seeds.json; kept equal by pkg/figures TestHistoryReorderFiveSeeds) -->\n"
	historyReorderEnd    = "<!-- end five-seed reordering summary -->"
)

// TestHistoryReorderFiveSeeds: the archived five-seed result is a run of
// reorder.FiveSeeds, and the history's summary of it is what the code
// computes from it (README's table of the time, verdicts by the older rule).
func TestHistoryReorderFiveSeeds(t *testing.T) {
	r := readReorderResult(t, historyReorderResult, "")
	a, _ := json.Marshal(r.Spec)
	b, _ := json.Marshal(reorder.FiveSeeds())
	if string(a) != string(b) {
		t.Fatalf("%s is not a run of reorder.FiveSeeds:\n%s\n%s", historyReorderResult, a, b)
	}
	sum, err := ReorderReadmeSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeBlock(t, "docs/results/history/README.md", historyReorderBegin, historyReorderEnd, sum, "five-seed reordering summary",
		historyReorderResult, "TestHistoryReorderFiveSeeds")
}

// TestReadmeReorderSummary checks that the committed reduced result is a
// valid run of reorder.Default, that the current code still computes the
// same numbers (its numerics fingerprint, hence the cache key; on amd64,
// where the training kernels are the ones that produced it), that it was
// run on the installed Fashion-MNIST when there is one, and that README.md
// shows the summary computed from it.
func TestReadmeReorderSummary(t *testing.T) {
	spec := reorder.Default()
	if *updateReorderResult {
		full, err := reorder.Load(repoRoot, spec)
		if err != nil {
			t.Fatal(err)
		}
		if full == nil {
			t.Fatal("no stored result of reorder.Default for the current key under .cache/experiments/: run make figures first")
		}
		if err := reorder.StoreReduced(filepath.Join(repoRoot, readmeReorderResult), full); err != nil {
			t.Fatal(err)
		}
	}
	r := readReorderResult(t, readmeReorderResult, spec.Prereg)
	a, _ := json.Marshal(r.Spec)
	b, _ := json.Marshal(spec)
	if string(a) != string(b) {
		t.Fatalf("%s is a run of another specification than reorder.Default: rerun make figures and refresh it (see the comment above)", readmeReorderResult)
	}
	if runtime.GOARCH == "amd64" && !purego {
		key, err := runner.ReorderKey(context.Background(), spec, r.Data)
		if err != nil {
			t.Fatal(err)
		}
		if key.Numerics != r.Numerics {
			t.Fatalf("the code's numerics fingerprint %s differs from %s's %s: the numbers changed, so the README's are stale; "+
				"rerun make figures and refresh it (see the comment above)", key.Numerics, readmeReorderResult, r.Numerics)
		}
		if key.Hash() != r.Key {
			t.Fatalf("%s has cache key %.16s, but its specification, data digest and numerics give %.16s", readmeReorderResult, r.Key, key.Hash())
		}
	}
	if digest, err := reorder.FashionDigest(spec.DataDir); err == nil && digest != r.Data {
		t.Fatalf("%s was computed on other Fashion-MNIST files (digest %.12s) than the installed ones (%.12s): rerun make figures and refresh it",
			readmeReorderResult, r.Data, digest)
	}
	sum, err := ReorderReadmeSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeBlock(t, "README.md", readmeReorderBegin, readmeReorderEnd, sum, "reordering summary", readmeReorderResult, "TestReadmeReorderSummary")
}

// The numbers of the summary of the committed result against a direct
// recomputation from its runs: mean and sample sd over seeds of the final
// accuracies, the paired differences with Student's t_{0.975, 4} =
// 2.7764451051977987 (five seeds), and the mean over seeds of the final
// row max of the authors' arm; and the setup sentence from the
// specification.
//
// It reads the archived five-seed result: the summary code is the same
// for every design, and the current one's verdicts come from its
// pre-registration, tested on their own (pkg/experiment/reorder).
func TestReorderReadmeSummaryNumbers(t *testing.T) {
	r := readReorderResult(t, historyReorderResult, "")
	if len(r.Spec.Seeds) != 5 {
		t.Fatalf("%d seeds; the t quantile below is for 5", len(r.Spec.Seeds))
	}
	const t975 = 2.7764451051977987
	sum, err := ReorderReadmeSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(sum, "\n")
	acc := func(patch int, arm string) []float64 {
		var xs []float64
		for _, run := range r.Runs {
			if run.Patch == patch && run.Arm == arm {
				xs = append(xs, 100*run.TestAcc)
			}
		}
		return xs
	}
	meanSD := func(xs []float64) (m, sd float64) {
		for _, x := range xs {
			m += x
		}
		m /= float64(len(xs))
		for _, x := range xs {
			sd += (x - m) * (x - m)
		}
		return m, math.Sqrt(sd / float64(len(xs)-1))
	}
	minus := func(v float64) string {
		s := fmt.Sprintf("%+.2f", v)
		if s == "-0.00" {
			s = "0.00"
		}
		return strings.Replace(s, "-", "−", 1)
	}
	for k, p := range r.Spec.Patches {
		L := (28 / p) * (28 / p)
		var row string
		for _, l := range lines {
			if strings.HasPrefix(l, fmt.Sprintf("| %d | ", L)) {
				row = l
			}
		}
		if row == "" {
			t.Fatalf("no row for %d tokens in\n%s", L, sum)
		}
		want := fmt.Sprintf("| %d |", L)
		base := acc(p, reorder.ArmBaseline)
		m, sd := meanSD(base)
		want += fmt.Sprintf(" %.2f ± %.2f |", m, sd)
		for _, a := range r.Spec.Arms[1:] {
			xs := acc(p, a.Name)
			m, sd := meanSD(xs)
			d := make([]float64, len(xs))
			for i := range xs {
				d[i] = xs[i] - base[i]
			}
			dm, dsd := meanSD(d)
			half := t975 * dsd / math.Sqrt(float64(len(d)))
			want += fmt.Sprintf(" %.2f ± %.2f | %s [%s, %s] |", m, sd, minus(dm), minus(dm-half), minus(dm+half))
			if i := strings.Index(row, want); i != 0 {
				t.Errorf("%d tokens, arm %s: row\n%s\ndoes not start with\n%s", L, a.Name, row, want)
			}
			// Skip the verdict cell: the next arm's cells follow it.
			rest := row[len(want):]
			want += rest[:strings.Index(rest, "|")+1]
		}
		var rm float64
		for _, run := range r.Runs {
			if run.Patch == p && run.Arm == reorder.ArmTau1 {
				rm += run.Epochs[len(run.Epochs)-1].RowMax / float64(len(r.Spec.Seeds))
			}
		}
		what := fmt.Sprint(L)
		if k == 0 {
			what += " tokens,\n"
		} else {
			what += ", "
		}
		if s := fmt.Sprintf("%.3f for %s1/L = %.3f", rm, what, 1/float64(L)); !strings.Contains(sum, s) {
			t.Errorf("the summary lacks the row max %q", s)
		}
	}
	steps := r.Spec.Epochs * ((r.TrainImages + r.Spec.Batch - 1) / r.Spec.Batch)
	setup := fmt.Sprintf("%d epochs of batch %d (%d %03d updates), %d paired seeds; reordering in block %d",
		r.Spec.Epochs, r.Spec.Batch, steps/1000, steps%1000, len(r.Spec.Seeds), r.Spec.ReorderLayer)
	if !strings.Contains(sum, setup) || !strings.Contains(sum, fmt.Sprintf("on %d %03d Fashion-MNIST images", r.TrainImages/1000, r.TrainImages%1000)) {
		t.Errorf("the setup sentence lacks %q or the image count:\n%s", setup, sum)
	}
}

// The summary of a full result and of its reduced copy are the same text,
// and its words follow the verdicts.
func TestReorderReadmeSummaryReducedAndWords(t *testing.T) {
	r := reorderTestResult(t)
	full, err := ReorderReadmeSummary(r)
	if err != nil {
		t.Fatal(err)
	}
	red, err := ReorderReadmeSummary(r.Reduce())
	if err != nil {
		t.Fatal(err)
	}
	if full != red {
		t.Errorf("full and reduced results give different summaries:\n%s\n---\n%s", full, red)
	}
	var tau1 []string
	for _, p := range r.Summary().Patches {
		for _, v := range p.Compare[0].Verdicts {
			tau1 = append(tau1, v.Outcome)
		}
	}
	if want := readmeEffect(tau1, "accuracy and its average over epochs"); !strings.Contains(strings.ReplaceAll(full, "\n", " "), ") and "+want) {
		t.Errorf("the summary does not say %q for the verdicts %v:\n%s", want, tau1, full)
	}
	for _, c := range []struct {
		outcomes []string
		want     string
	}{
		{[]string{experiment.NotSupported, experiment.NotSupported}, "lowers x and y"},
		{[]string{experiment.Supported, experiment.Supported}, "raises x and y"},
		{[]string{experiment.Inconclusive, experiment.Inconclusive}, "changes neither x nor y measurably"},
		{[]string{experiment.NotSupported, experiment.Inconclusive}, "lowers x and does not measurably change y"},
		{[]string{"not supported (equivalent within ±1 pp)", experiment.Contradicted}, "leaves x unchanged (equivalent within ±1 pp) and lowers y"},
		{[]string{"not supported (equivalent within ±1 pp)", "not supported (equivalent within ±1 pp)"}, "leaves x and y unchanged (equivalent within ±1 pp)"},
		{[]string{experiment.Supported, experiment.Inconclusive, experiment.Supported}, "has the mixed verdicts of the table on x and y"},
	} {
		if got := readmeEffect(c.outcomes, "x and y"); got != c.want {
			t.Errorf("readmeEffect(%v) = %q, want %q", c.outcomes, got, c.want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1 000", 1250: "1 250", 4000: "4 000", 1234567: "1 234 567", -4000: "-4 000"} {
		if got := readmeThousands(n); got != want {
			t.Errorf("readmeThousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := readmeBreak("a b, c d (e f g", "b,", "(e", "zz"); got != "a b,\nc d (e\nf g" {
		t.Errorf("readmeBreak: %q", got)
	}
}
