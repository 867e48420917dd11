package figures

import (
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// WT103ReadmeSummary is the README's summary of the refinement-1 experiment:
// per depth and pooled, the paired differences of test perplexity per byte
// neg − pos (the paper's claim) with its verdict, neg − unconstrained, and
// the D₀ = 0 pair, as a Markdown table.
func WT103ReadmeSummary(r *lm.Result) (string, error) {
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
