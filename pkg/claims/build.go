package claims

import (
	"context"
	"fmt"
)

// Paper is the work the ledger is about.
const Paper = `Vo, Pham, Tong, Nguyen, "Demystifying the Token Dynamics of Deep Selective State Space Models", ICLR 2025 (arXiv 2410.03292)`

// The groups of the ledger, in order.
const (
	GroupTheory      = "the continuous-time limit and the 1-D theorems"
	GroupHigherD     = "Figure 6 and higher dimension"
	GroupRefinement1 = "refinement 1: the parametrization and its symmetry"
	GroupLM          = "refinement 1: the scaled-down LM experiment"
	GroupReorder     = "refinement 2: the scaled-down reordering experiment"
	GroupScale       = "at the paper's scale"
)

// Groups lists the groups in ledger order.
func Groups() []string {
	return []string{GroupTheory, GroupHigherD, GroupRefinement1, GroupLM, GroupReorder, GroupScale}
}

// Build runs the ledger's cheap checks at sizes s and reads the committed
// experiment results under root (the repository root), and returns every
// claim numbered C1, C2, … in this order: the continuous-time limit, the
// one-dimensional theorems, Figure 6 and higher dimension, refinement 1's
// parametrization and symmetry, the pre-registered hypotheses of the LM and
// the reordering experiments, and the claims not testable here.
func Build(ctx context.Context, root string, s Sizes, quick bool) (*Ledger, error) {
	var all []Claim
	group := ""
	add := func(cs []Claim, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range cs {
			cs[i].Group = group
		}
		all = append(all, cs...)
		return nil
	}
	one := func(c Claim, err error) ([]Claim, error) { return []Claim{c}, err }
	in := func(g string, f func() error) func() error { return func() error { group = g; return f() } }
	steps := []func() error{
		in(GroupTheory, func() error { return add(one(eulerClaim(s))) }),
		in(GroupTheory, func() error { return add(sweepClaims(ctx, s)) }),
		in(GroupHigherD, func() error { return add(agreementClaims(ctx, s)) }),
		in(GroupRefinement1, func() error { return add(one(parametrizationClaim(s))) }),
		in(GroupRefinement1, func() error { return add(one(symmetryClaim(s))) }),
		in(GroupLM, func() error { return add(lmClaims(root)) }),
		in(GroupReorder, func() error { return add(reorderClaims(root)) }),
		in(GroupScale, func() error { return add(notTestable(), nil) }),
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	for i := range all {
		all[i].ID = fmt.Sprintf("C%d", i+1)
		if err := all[i].validate(); err != nil {
			return nil, err
		}
	}
	return &Ledger{Paper: Paper, Quick: quick, Sizes: s, Claims: all}, nil
}

// validate checks that a claim is complete and its verdict one of the five.
func (c Claim) validate() error {
	known := false
	for _, v := range Verdicts() {
		known = known || c.Verdict == v
	}
	switch {
	case !known:
		return fmt.Errorf("claims: %s: verdict %q is none of %q", c.ID, c.Verdict, Verdicts())
	case c.Statement == "" || c.Source == "" || c.Check == "" || c.Rule == "" || c.Artifact == "" || c.Basis == "":
		return fmt.Errorf("claims: %s (%q): a field is empty", c.ID, c.Statement)
	case c.Verdict == NotTestable && c.Detail == "":
		return fmt.Errorf("claims: %s: not testable here, but no reason given", c.ID)
	case c.Verdict != NotTestable && c.Evidence == "":
		return fmt.Errorf("claims: %s: no evidence", c.ID)
	}
	return nil
}
