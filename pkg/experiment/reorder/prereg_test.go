package reorder_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/repo"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// loadPrereg reads the repository's pre-registration of reorder.Default
// the way the experiment does (Result.LoadPrereg) and returns it with the
// repository root.
func loadPrereg(t *testing.T) (string, experiment.Prereg) {
	t.Helper()
	root, err := repo.ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	r := &reorder.Result{Spec: reorder.Default()}
	if err := r.LoadPrereg(root); err != nil || r.Prereg == nil {
		t.Fatalf("pre-registration of reorder.Default: %v", err)
	}
	return root, *r.Prereg
}

// The committed pre-registration and reorder.Default describe one design:
// name, seeds and arms in order (Governs), the budget's sizes, and every
// endpoint names a sequence length and two arms of the design.
func TestPreregMatchesDefault(t *testing.T) {
	_, p := loadPrereg(t)
	s := reorder.Default()
	var arms []string
	for _, a := range s.Arms {
		arms = append(arms, a.Name)
	}
	if err := p.Governs(s.Name, s.Seeds, arms); err != nil {
		t.Error(err)
	}
	if s.Prereg != reorder.PreregPath {
		t.Errorf("reorder.Default's pre-registration %q, want %q", s.Prereg, reorder.PreregPath)
	}
	steps := s.Epochs * ((s.TrainSize + s.Batch - 1) / s.Batch)
	for k, want := range map[string]string{
		"tokens": strconv.Itoa((28 / s.Patches[0]) * (28 / s.Patches[0])), "train_images": strconv.Itoa(s.TrainSize),
		"test_images": "10000", "epochs": strconv.Itoa(s.Epochs), "batch": strconv.Itoa(s.Batch), "updates": strconv.Itoa(steps),
		"d_model": strconv.Itoa(s.DModel), "layers": strconv.Itoa(s.NLayer), "lr": strconv.FormatFloat(s.LR, 'g', -1, 64),
		"weight_decay": strconv.FormatFloat(s.WeightDecay, 'g', -1, 64), "decay_groups": s.DecayGroups,
	} {
		v, ok := p.Budget[k]
		if got := strings.TrimSpace(fmt.Sprint(v)); !ok || got != want {
			t.Errorf("budget %s = %q, reorder.Default has %s", k, got, want)
		}
	}
	if len(s.Patches) != 1 || s.TestSize != 0 {
		t.Errorf("reorder.Default has patches %v and test size %d; the pre-registration has one length and every test image", s.Patches, s.TestSize)
	}
	for _, h := range p.Hypotheses {
		if _, err := reorder.ParseEndpoint(s, h.Endpoint); err != nil {
			t.Errorf("%s: %v", h.ID, err)
		}
	}
}

// constructed is a result of spec whose runs have final accuracy
// base + delta(arm, seed) and the same accuracy at every epoch.
func constructed(spec reorder.Spec, delta func(arm string, i int) float64) *reorder.Result {
	r := &reorder.Result{Spec: spec}
	for _, j := range spec.Jobs() {
		i := 0
		for k, s := range spec.Seeds {
			if s == j.Seed {
				i = k
			}
		}
		acc := 0.8 + delta(j.Arm.Name, i)
		rec := reorder.Record{Patch: j.Patch, L: (28 / j.Patch) * (28 / j.Patch), Arm: j.Arm.Name, Seed: j.Seed, TestAcc: acc}
		for e := 1; e <= spec.Epochs; e++ {
			rec.Epochs = append(rec.Epochs, reorder.Epoch{Epoch: e, TestAcc: acc})
		}
		r.Runs = append(r.Runs, rec)
	}
	return r
}

// Decide on constructed data: a clear gain of the soft arm is supported,
// an exact tie of the hard arm is equivalence within ±1 pp, the
// differences are in percentage points, and the verdicts reach the
// summary's comparisons.
func TestDecideOnConstructedResult(t *testing.T) {
	root, p := loadPrereg(t)
	spec := reorder.Default()
	r := constructed(spec, func(arm string, i int) float64 {
		switch arm {
		case reorder.ArmTau1:
			return 0.02 + 0.001*float64(i%3) // +2 pp ± 0.1
		}
		return 0
	})
	e, err := reorder.ParseEndpoint(spec, "49 tokens, final: reorder-tau1 − baseline")
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.EndpointDiffs(e)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d[0]-2) > 1e-9 || math.Abs(d[1]-2.1) > 1e-9 {
		t.Fatalf("differences %v, want 2, 2.1, … pp", d[:2])
	}
	ds, err := r.Decide(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{experiment.Supported, experiment.Supported, experiment.EquivalentVerdict(p.Margin), experiment.EquivalentVerdict(p.Margin)}
	for i, d := range ds {
		if d.Verdict != want[i] {
			t.Errorf("%s: %s, want %s", d.ID, d.Verdict, want[i])
		}
	}
	if err := r.Decided(root, reorder.PreregPath); err != nil {
		t.Fatal(err)
	}
	c := r.Summary().Patches[0].Compare
	if c[0].Verdicts[0].Outcome != experiment.Supported || c[1].Verdicts[1].Outcome != experiment.EquivalentVerdict(p.Margin) {
		t.Errorf("summary verdicts %q, %q", c[0].Verdicts[0].Outcome, c[1].Verdicts[1].Outcome)
	}
	if v := r.Verdict(); len(v) != 4 || !strings.HasPrefix(v[0].Claim, "H1 (primary)") {
		t.Errorf("verdicts %v", v)
	}
	// Another design's seeds are refused.
	other := spec
	other.Seeds = []uint64{1, 2}
	if _, err := constructed(other, func(string, int) float64 { return 0 }).Decide(p); err == nil {
		t.Error("a result on other seeds was decided by the pre-registration")
	}
	for _, bad := range []string{"49 tokens, best: reorder-tau1 − baseline", "196 tokens, final: reorder-tau1 − baseline",
		"49 tokens, final: reorder-tau1 - baseline", "49 tokens, final: baseline − baseline"} {
		if _, err := reorder.ParseEndpoint(spec, bad); err == nil {
			t.Errorf("endpoint %q accepted", bad)
		}
	}
}

// LoadPrereg gives the design its own pre-registration, the smoke version
// (Quick) the same hypotheses on its seeds, and refuses a design the file
// does not register.
func TestLoadPreregByName(t *testing.T) {
	root, p := loadPrereg(t)
	r := &reorder.Result{Spec: reorder.Default()}
	if err := r.LoadPrereg(root); err != nil || r.Prereg == nil || r.Prereg.Experiment != p.Experiment {
		t.Fatalf("Default: %v, %v", err, r.Prereg)
	}
	q := &reorder.Result{Spec: reorder.Quick()}
	if err := q.LoadPrereg(root); err != nil || q.Prereg.Experiment != "reorder-quick" || len(q.Prereg.Seeds) != 2 ||
		len(q.Prereg.Hypotheses) != len(p.Hypotheses) {
		t.Fatalf("Quick: %v, %+v", err, q.Prereg)
	}
	other := reorder.Default()
	other.Name = "variant"
	if err := (&reorder.Result{Spec: other}).LoadPrereg(root); err == nil {
		t.Fatal("a design the file does not register got its pre-registration")
	}
	none := reorder.Default()
	none.Prereg = ""
	n := &reorder.Result{Spec: none}
	if err := n.LoadPrereg(root); err != nil || n.Prereg != nil {
		t.Fatalf("no pre-registration: %v, %v", err, n.Prereg)
	}
}
