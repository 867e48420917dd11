package reorder

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// PreregPath is the pre-registration of Default, relative to the
// repository root (experiment.LoadPrereg reads it).
const PreregPath = "docs/prereg/reorder.md"

// The two metrics an endpoint may name.
const (
	// MetricFinal is the test accuracy after the last epoch (the claim
	// "reordering improves accuracy").
	MetricFinal = "final"
	// MetricMean is the test accuracy averaged over the epochs (the claim
	// "reordering improves convergence speed").
	MetricMean = "mean"
)

// endpointMinus separates the two arms of an endpoint.
const endpointMinus = " − "

// Endpoint is one pre-registered endpoint: the paired difference of Metric
// in percentage points, arm A minus arm B, per seed, at L tokens.
type Endpoint struct {
	L      int
	Metric string
	A, B   string
}

// String is the endpoint as written in a pre-registration:
// "49 tokens, final: reorder-tau1 − baseline".
func (e Endpoint) String() string {
	return fmt.Sprintf("%d tokens, %s: %s%s%s", e.L, e.Metric, e.A, endpointMinus, e.B)
}

// ParseEndpoint reads "L tokens, METRIC: A − B" (U+2212 between spaces)
// and checks that spec has that sequence length and both arms.
func ParseEndpoint(spec Spec, s string) (Endpoint, error) {
	head, arms, ok := strings.Cut(s, ": ")
	ls, metric, ok2 := strings.Cut(head, " tokens, ")
	a, b, ok3 := strings.Cut(arms, endpointMinus)
	if !ok || !ok2 || !ok3 {
		return Endpoint{}, fmt.Errorf("reorder: endpoint %q: want \"L tokens, final|mean: A − B\"", s)
	}
	L, err := strconv.Atoi(ls)
	if err != nil || patchOf(spec, L) == 0 {
		return Endpoint{}, fmt.Errorf("reorder: endpoint %q: experiment %s has no sequence length %q", s, spec.Name, ls)
	}
	if metric != MetricFinal && metric != MetricMean {
		return Endpoint{}, fmt.Errorf("reorder: endpoint %q: metric %q, want %q or %q", s, metric, MetricFinal, MetricMean)
	}
	has := func(n string) bool {
		for _, arm := range spec.Arms {
			if arm.Name == n {
				return true
			}
		}
		return false
	}
	if !has(a) || !has(b) || a == b {
		return Endpoint{}, fmt.Errorf("reorder: endpoint %q: experiment %s has no arms %q and %q", s, spec.Name, a, b)
	}
	return Endpoint{L: L, Metric: metric, A: a, B: b}, nil
}

// patchOf is the patch size of spec giving L tokens, 0 when none does.
func patchOf(spec Spec, L int) int {
	for _, p := range spec.Patches {
		if (28/p)*(28/p) == L {
			return p
		}
	}
	return 0
}

// EndpointDiffs returns the paired differences of endpoint e in
// percentage points (100 × accuracy of A − accuracy of B), one per seed in
// the specification's seed order.
func (r *Result) EndpointDiffs(e Endpoint) ([]float64, error) {
	p := patchOf(r.Spec, e.L)
	ra, rb := r.runsOf(p, e.A), r.runsOf(p, e.B)
	if p == 0 || len(ra) != len(r.Spec.Seeds) || len(rb) != len(r.Spec.Seeds) {
		return nil, fmt.Errorf("reorder: endpoint %s: %d and %d runs for %d seeds", e, len(ra), len(rb), len(r.Spec.Seeds))
	}
	f := func(run Record) float64 { return run.TestAcc }
	if e.Metric == MetricMean {
		f = meanAcc
	}
	out := make([]float64, len(ra))
	for i := range ra {
		if ra[i].Seed != r.Spec.Seeds[i] || rb[i].Seed != r.Spec.Seeds[i] {
			return nil, fmt.Errorf("reorder: endpoint %s: runs of seeds %d and %d at position %d, want %d", e, ra[i].Seed, rb[i].Seed, i, r.Spec.Seeds[i])
		}
		out[i] = 100 * (f(ra[i]) - f(rb[i]))
	}
	return out, nil
}

// Decide applies the pre-registered rule of p (experiment.PreregRule) to
// the result, after checking that p governs this design (name, seeds and
// arms in order): one decision per hypothesis in p's order.
func (r *Result) Decide(p experiment.Prereg) ([]experiment.Decision, error) {
	arms := make([]string, len(r.Spec.Arms))
	for i, a := range r.Spec.Arms {
		arms[i] = a.Name
	}
	ds, err := p.DecideDesign(r.Spec.Name, r.Spec.Seeds, arms, func(endpoint string) ([]float64, error) {
		e, err := ParseEndpoint(r.Spec, endpoint)
		if err != nil {
			return nil, err
		}
		return r.EndpointDiffs(e)
	})
	if err != nil {
		return nil, fmt.Errorf("reorder: %w", err)
	}
	return ds, nil
}

// LoadPrereg reads the pre-registration of r.Spec (Spec.Prereg, relative
// to root) into r.Prereg; a design without one leaves r.Prereg nil. A
// smoke version (the pre-registered name + experiment.SmokeSuffix) gets the
// same hypotheses on its own seeds (experiment.Prereg.Smoke).
func (r *Result) LoadPrereg(root string) error {
	r.Prereg = nil
	if r.Spec.Prereg == "" {
		return nil
	}
	p, err := experiment.LoadPreregFor(filepath.Join(root, filepath.FromSlash(r.Spec.Prereg)), r.Spec.Name,
		func(p experiment.Prereg) (experiment.Prereg, error) { return p.Smoke(r.Spec.Name, r.Spec.Seeds, nil) })
	if err != nil {
		return fmt.Errorf("reorder: experiment %s: %w", r.Spec.Name, err)
	}
	r.Prereg = &p
	return nil
}
