package lm

import (
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// PreregPath is the pre-registration of Default, relative to the
// repository root (experiment.LoadPrereg reads it).
const PreregPath = "docs/prereg/lm.md"

// endpointMinus separates the two arms of an endpoint.
const endpointMinus = " − "

// ParseEndpoint reads a pre-registered endpoint of the form
// "DEPTH: A − B" (e.g. "8x48: neg-wd − pos-wd", U+2212 between spaces): the
// paired difference of test perplexity per byte, arm A minus arm B, per seed
// at that depth of spec. It returns the indices of the depth and the arms.
func ParseEndpoint(spec Spec, e string) (depth, a, b int, err error) {
	dn, arms, ok := strings.Cut(e, ": ")
	an, bn, ok2 := strings.Cut(arms, endpointMinus)
	if !ok || !ok2 {
		return 0, 0, 0, fmt.Errorf("lm: endpoint %q: want \"DEPTH: A − B\"", e)
	}
	depth, a, b = -1, -1, -1
	for i, d := range spec.Depths {
		if d.Name() == dn {
			depth = i
		}
	}
	for i, arm := range spec.Arms {
		switch arm.Name {
		case an:
			a = i
		case bn:
			b = i
		}
	}
	if depth < 0 || a < 0 || b < 0 {
		return 0, 0, 0, fmt.Errorf("lm: endpoint %q: experiment %s has no depth %q or no arm %q or %q", e, spec.Name, dn, an, bn)
	}
	return depth, a, b, nil
}

// EndpointDiffs returns the paired differences of endpoint e (see
// ParseEndpoint): test perplexity per byte of arm A minus arm B, one per
// seed in the specification's seed order.
func (r *Result) EndpointDiffs(e string) ([]float64, error) {
	di, ai, bi, err := ParseEndpoint(r.Spec, e)
	if err != nil {
		return nil, err
	}
	d := r.Spec.Depths[di].Name()
	ra, rb := r.runs(d, r.Spec.Arms[ai].Name), r.runs(d, r.Spec.Arms[bi].Name)
	if len(ra) != len(r.Spec.Seeds) || len(rb) != len(r.Spec.Seeds) {
		return nil, fmt.Errorf("lm: endpoint %q: %d and %d runs for %d seeds", e, len(ra), len(rb), len(r.Spec.Seeds))
	}
	out := make([]float64, len(ra))
	for i := range ra {
		if ra[i].Seed != r.Spec.Seeds[i] || rb[i].Seed != r.Spec.Seeds[i] {
			return nil, fmt.Errorf("lm: endpoint %q: runs of seeds %d and %d at position %d, want %d", e, ra[i].Seed, rb[i].Seed, i, r.Spec.Seeds[i])
		}
		out[i] = ra[i].Test.Perplexity - rb[i].Test.Perplexity
	}
	return out, nil
}

// Decide applies the pre-registered rule of p to the result: it checks that
// p governs this design (the experiment's name, its seeds in order, its
// arms) and returns experiment's decisions, one per hypothesis in p's order.
func (r *Result) Decide(p experiment.Prereg) ([]experiment.Decision, error) {
	arms := make([]string, len(r.Spec.Arms))
	for i, a := range r.Spec.Arms {
		arms[i] = a.Name
	}
	ds, err := p.DecideDesign(r.Spec.Name, r.Spec.Seeds, arms, r.EndpointDiffs)
	if err != nil {
		return nil, fmt.Errorf("lm: %w", err)
	}
	return ds, nil
}
