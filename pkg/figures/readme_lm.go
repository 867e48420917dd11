package figures

import (
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// LMReadmeSummary is the README's summary of the pre-registered
// refinement-1 experiment (r.Prereg must be loaded): a table of the arms
// (weight decay, Σ lr·wd, test perplexity per byte, the skip D and μ's
// eigenvalue signs after training) and a table of every pre-registered
// hypothesis with the numbers its verdict is computed from, as Markdown.
func LMReadmeSummary(r *lm.Result) (string, error) {
	if r.Prereg == nil {
		return "", fmt.Errorf("figures: README summary of %s: no pre-registration loaded", r.Spec.Name)
	}
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		return "", err
	}
	cs, err := r.Comparisons()
	if err != nil {
		return "", err
	}
	arms := t103Arms(r)
	var b strings.Builder
	n := r.Spec.Base.Model.DState
	b.WriteString("| arm | S_Cᵀ S_B | D₀ | weight decay | Σ lr·wd | test ppl/byte (mean ± sd) | D after training (mean; > 0) | μ eigenvalues + / − |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Summary() {
		a := arms[s.Arm]
		wd := r.Spec.Base.Train.WeightDecay
		if a.WeightDecay > 0 {
			wd = a.WeightDecay
		}
		st, _ := wt103Structure(a.Param, n)
		d0 := "1"
		if a.ZeroSkip {
			d0 = "0"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %g | %s | %s | %s; %s %% | %s / %s |\n", s.Arm, st, d0, wd, render.Fixed(s.DecayIntegral, 2),
			pm(s.TestPPL, 3), render.Fixed(s.SkipMean, 2), render.Fixed(100*s.SkipPositive, 0),
			render.Fixed(s.MuPositive, 1), render.Fixed(s.MuNegative, 1))
	}
	m := ds[0].Margin
	fmt.Fprintf(&b, "\n| | hypothesis (pre-registered) | A − B | mean [95 %% CI] | A > B / A < B | Holm p (t) | Holm p (TOST ±%g) | power (δ = %g) | verdict |\n",
		m.Value, r.Prereg.Effect.Value)
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---|\n")
	for i, d := range ds {
		c := cs[i].Paired
		v := d.Verdict
		if v != experiment.Inconclusive {
			v = "**" + v + "**"
		}
		claimed := map[int]string{1: "> 0", -1: "< 0", 0: "≈ 0"}[d.Sign]
		id := d.ID
		if d.Family == experiment.Primary {
			id += " (primary)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s − %s %s | %s [%s, %s] | %d / %d | %s | %s | %s | %s |\n", id, d.Statement, cs[i].A, cs[i].B, claimed,
			wt103Signed(c.Mean, 3), wt103Signed(c.Lo, 3), wt103Signed(c.Hi, 3), c.Pos, c.Neg,
			experiment.PValue(d.PAdj), experiment.PValue(d.TOSTPAdj), render.Fixed(d.Power, 2), v)
	}
	return b.String(), nil
}
