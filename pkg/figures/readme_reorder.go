package figures

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// ReorderReadmeSummary is the README's summary of the refinement-2
// experiment (tab-imagenet-scaled) computed from r, a full or reduced
// result (reorder.Reduce) of a specification whose first reordering arm
// with Authors is the authors' setting: a sentence on the setup; a Markdown
// table with, per sequence length L, the final test accuracy in % (mean ±
// sample sd over seeds) of every arm and, for every reordering arm, its
// paired difference to the baseline in percentage points (mean [95 % t
// interval]) with the verdicts on accuracy and on convergence speed
// (accuracy averaged over epochs); and a paragraph on the authors' arm,
// its final soft-permutation row max against 1/L and the words of its
// verdicts, and on the hard arm when there is one. Every number and every
// qualitative word comes from r.
func ReorderReadmeSummary(r *reorder.Result) (string, error) {
	sum := r.Summary()
	rows, err := reorderReadmeCells(r, sum)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	reorderReadmeTable(&b, r, sum, rows)
	para, err := reorderReadmeParagraph(r, sum, rows)
	if err != nil {
		return "", err
	}
	// The lines break where the README's hand-written paragraph broke them.
	b.WriteString("\n" + readmeBreak(para+" at this size.", "tokens,", "(the hard") + "\n")
	if err := reorderReadmeLinear(&b, r, sum); err != nil {
		return "", err
	}
	if r.Prereg != nil {
		if err := reorderReadmeDecisions(&b, r); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// reorderCell is one arm at one sequence length of the README table: its
// summary and its comparison with the baseline (nil for the baseline).
type reorderCell struct {
	arm reorder.ArmSummary
	cmp *reorder.Comparison
}

// reorderReadmeCells checks that sum covers every sequence length, arm and
// comparison of r's spec and returns the cells, (sequence length, arm).
func reorderReadmeCells(r *reorder.Result, sum reorder.Summary) ([][]reorderCell, error) {
	if len(sum.Patches) != len(r.Spec.Patches) || len(sum.Patches) == 0 {
		return nil, fmt.Errorf("readme: the reordering result has %d of %d sequence lengths", len(sum.Patches), len(r.Spec.Patches))
	}
	rows := make([][]reorderCell, len(sum.Patches))
	for i, ps := range sum.Patches {
		if len(ps.Arms) != len(r.Spec.Arms) || len(ps.Compare) != len(r.Spec.Arms)-1 {
			return nil, fmt.Errorf("readme: %d tokens: %d arms and %d comparisons summarised, want %d and %d",
				ps.L, len(ps.Arms), len(ps.Compare), len(r.Spec.Arms), len(r.Spec.Arms)-1)
		}
		for k, a := range ps.Arms {
			c := reorderCell{arm: a}
			if k > 0 {
				c.cmp = &ps.Compare[k-1]
				if c.cmp.Arm.Name != a.Arm.Name || len(c.cmp.Verdicts) != 2 {
					return nil, fmt.Errorf("readme: %d tokens: comparison %q out of place", ps.L, c.cmp.Arm.Name)
				}
			}
			rows[i] = append(rows[i], c)
		}
	}
	return rows, nil
}

// reorderReadmeTable writes the sentence on the setting and the table of
// test accuracies, differences and verdicts, one row per sequence length.
func reorderReadmeTable(b *strings.Builder, r *reorder.Result, sum reorder.Summary, rows [][]reorderCell) {
	steps := sum.Patches[0].Arms[0].Steps
	fmt.Fprintf(b, "Mamba classifier (%d MambaVision-mixer blocks, d_model %d, %s initialisation) on %s Fashion-MNIST images,\n"+
		"%d epochs of batch %d (%s updates), %d paired seeds; reordering in block %d; test accuracy in %%:\n\n",
		r.Spec.NLayer, r.Spec.DModel, readmeInit(r.Spec.Init), readmeThousands(r.TrainImages),
		r.Spec.Epochs, r.Spec.Batch, readmeThousands(steps), len(r.Spec.Seeds), r.Spec.ReorderLayer)

	b.WriteString("| tokens | baseline |")
	align := "|---:|---:|"
	for k, a := range r.Spec.Arms[1:] {
		verdict := "verdict"
		if k == 0 {
			verdict = "verdict (accuracy; speed)"
		}
		fmt.Fprintf(b, " %s | Δ [95 %% CI] pp | %s |", readmeArmHead(a), verdict)
		align += "---:|---:|---|"
	}
	b.WriteString("\n" + align + "\n")
	for i, ps := range sum.Patches {
		fmt.Fprintf(b, "| %d |", ps.L)
		for _, c := range rows[i] {
			fmt.Fprintf(b, " %s |", pm(reorderPercent(c.arm.TestAcc), 2))
			if c.cmp == nil {
				continue
			}
			p := c.cmp.Final
			fmt.Fprintf(b, " %s [%s, %s] | %s; %s |", readmeMinus(100*p.Mean), readmeMinus(100*p.Lo), readmeMinus(100*p.Hi),
				readmeOutcome(c.cmp.Verdicts[0].Outcome), readmeOutcome(c.cmp.Verdicts[1].Outcome))
		}
		b.WriteString("\n")
	}
}

// reorderReadmeParagraph is the paragraph under the table: the authors'
// arm's final soft-permutation row max per sequence length and its
// verdicts, then the hard arm's verdicts.
func reorderReadmeParagraph(r *reorder.Result, sum reorder.Summary, rows [][]reorderCell) (string, error) {
	authors := slices.IndexFunc(r.Spec.Arms, func(a reorder.Arm) bool { return a.Reorder && a.Authors })
	if authors < 0 {
		return "", fmt.Errorf("readme: the reordering result has no arm with the authors' setting")
	}
	hard := slices.IndexFunc(r.Spec.Arms, func(a reorder.Arm) bool { return a.Hard })
	var rowMax []string
	uniform, farFromPermutation := true, true
	var authorsOut, hardOut []string
	for i, ps := range sum.Patches {
		a := rows[i][authors]
		if len(a.arm.RowMax) != r.Spec.Epochs {
			return "", fmt.Errorf("readme: %d tokens: %d row maxima for %d epochs", ps.L, len(a.arm.RowMax), r.Spec.Epochs)
		}
		last, inv := a.arm.RowMax[len(a.arm.RowMax)-1], 1/float64(ps.L)
		uniform = uniform && last < 2*inv
		farFromPermutation = farFromPermutation && last < 0.5
		what := fmt.Sprint(ps.L)
		if i == 0 {
			what += " tokens"
		}
		rowMax = append(rowMax, fmt.Sprintf("%s for %s, 1/L = %s", render.Fixed(last, 3), what, render.Fixed(inv, 3)))
		for _, v := range a.cmp.Verdicts {
			authorsOut = append(authorsOut, v.Outcome)
		}
		if hard >= 0 {
			for _, v := range rows[i][hard].cmp.Verdicts {
				hardOut = append(hardOut, v.Outcome)
			}
		}
	}
	blend := "stays a near-uniform blend"
	if !uniform {
		blend = "stays far from a permutation"
		if !farFromPermutation {
			blend = "approaches a permutation"
		}
	}
	tau := strconv.FormatFloat(r.Spec.Arms[authors].Tau, 'g', -1, 64)
	para := fmt.Sprintf("The authors' soft reordering (τ = %s) %s (final soft-permutation row max %s) and %s",
		tau, blend, strings.Join(rowMax, "; "), readmeEffect(authorsOut, "accuracy and its average over epochs"))
	if hard >= 0 {
		hardEffect := "is indistinguishable from no reordering"
		if slices.ContainsFunc(hardOut, func(o string) bool { return o != experiment.Inconclusive }) {
			hardEffect = readmeEffect(hardOut, "accuracy and its average over epochs")
		}
		para += "; a real permutation (the hard arm, not the authors') " + hardEffect
	}
	return para, nil
}

// reorderReadmeLinear says how the baseline compares with the linear
// reference on the same tokens, per sequence length (nothing for results
// that predate the reference).
func reorderReadmeLinear(b *strings.Builder, r *reorder.Result, sum reorder.Summary) error {
	if len(r.Linear) == 0 {
		return nil
	}
	if len(r.Linear) != len(sum.Patches) {
		return fmt.Errorf("readme: %d linear references for %d sequence lengths", len(r.Linear), len(sum.Patches))
	}
	var parts []string
	for i, ps := range sum.Patches {
		l := r.Linear[i]
		if l.Patch != ps.Patch {
			return fmt.Errorf("readme: linear reference %d is for patch %d, not %d", i, l.Patch, ps.Patch)
		}
		gap := 100 * (ps.Arms[0].TestAcc.Mean - l.TestAcc)
		where := "on par with it (within 1 pp)"
		switch {
		case gap >= 1:
			where = "above it"
		case gap <= -1:
			where = "below it"
		}
		parts = append(parts, fmt.Sprintf("%s %% at %d tokens (seed %d); the Mamba baseline's mean is %s pp from it, %s",
			render.Fixed(100*l.TestAcc, 2), ps.L, l.Seed, readmeMinus(gap), where))
	}
	fmt.Fprintf(b, "\nLinear reference (softmax regression on the same tokens, the same optimizer and budget, `runner.LinearBaseline`): %s.\n",
		strings.Join(parts, "; "))
	return nil
}

// reorderReadmeDecisions is the table of the pre-registered hypotheses
// with the numbers each verdict is computed from.
func reorderReadmeDecisions(b *strings.Builder, r *reorder.Result) error {
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		return err
	}
	m := ds[0].Margin
	fmt.Fprintf(b, "\n| | hypothesis (pre-registered, %s) | endpoint | mean [95 %% CI] pp | above / below 0 | Holm p (t) | Holm p (TOST ±%g %s) | power (δ = %g %s) | verdict |\n",
		r.Spec.Prereg, m.Value, m.Unit, r.Prereg.Effect.Value, r.Prereg.Effect.Unit)
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---|\n")
	for _, d := range ds {
		e, err := reorder.ParseEndpoint(r.Spec, d.Endpoint)
		if err != nil {
			return err
		}
		diffs, err := r.EndpointDiffs(e)
		if err != nil {
			return err
		}
		pos, neg := 0, 0
		for _, x := range diffs {
			switch {
			case x > 0:
				pos++
			case x < 0:
				neg++
			}
		}
		id := d.ID
		if d.Family == experiment.Primary {
			id += " (primary)"
		}
		fmt.Fprintf(b, "| %s | %s | %s > 0 | %s [%s, %s] | %d / %d | %s | %s | %s | %s |\n", id, d.Statement, d.Endpoint,
			readmeMinus(d.Mean), readmeMinus(d.Lo), readmeMinus(d.Hi), pos, neg,
			experiment.PValue(d.PAdj), experiment.PValue(d.TOSTPAdj), render.Fixed(d.Power, 2), readmeOutcome(d.Verdict))
	}
	return nil
}

// readmeBreak replaces by a newline the space after each of breaks found
// in turn in s (a break not found is skipped).
func readmeBreak(s string, breaks ...string) string {
	var b strings.Builder
	for _, br := range breaks {
		i := strings.Index(s, br+" ")
		if i < 0 {
			continue
		}
		b.WriteString(s[:i+len(br)] + "\n")
		s = s[i+len(br)+1:]
	}
	return b.String() + s
}

// readmeEffect says in words what the verdicts outcomes (accuracy, speed,
// per sequence length) of one arm find about what: one verb when they
// agree.
func readmeEffect(outcomes []string, what string) string {
	same := func(o string) bool {
		return !slices.ContainsFunc(outcomes, func(x string) bool { return x != o })
	}
	switch {
	case same(experiment.NotSupported), same(experiment.Contradicted):
		return "lowers " + what
	case same(experiment.Supported):
		return "raises " + what
	case same(experiment.Inconclusive):
		return "changes neither " + strings.Replace(what, " and ", " nor ", 1) + " measurably"
	case len(outcomes) > 0 && same(outcomes[0]) && strings.HasPrefix(outcomes[0], experiment.NotSupported+" (equivalent within "):
		return readmeDoes(outcomes[0], what)
	}
	if parts := strings.SplitN(what, " and ", 2); len(outcomes) == 2 && len(parts) == 2 {
		return readmeDoes(outcomes[0], parts[0]) + " and " + readmeDoes(outcomes[1], parts[1])
	}
	return "has the mixed verdicts of the table on " + what
}

// readmeDoes says what one verdict outcome finds an arm does to what.
func readmeDoes(o, what string) string {
	switch {
	case o == experiment.Supported:
		return "raises " + what
	case o == experiment.NotSupported || o == experiment.Contradicted:
		return "lowers " + what
	case strings.HasPrefix(o, experiment.NotSupported+" (equivalent within "):
		return "leaves " + what + " unchanged (" + strings.TrimPrefix(o, experiment.NotSupported+" (")
	}
	return "does not measurably change " + what
}

// readmeArmHead names a reordering arm in the README's table.
func readmeArmHead(a reorder.Arm) string {
	tau := strconv.FormatFloat(a.Tau, 'g', -1, 64)
	switch {
	case a.Hard:
		return "hard straight-through (not the authors')"
	case a.Authors:
		return "reordering, τ = " + tau + " (the authors')"
	}
	return "reordering, τ = " + tau + " (not the authors')"
}

func readmeInit(init string) string {
	if init == model.InitMambaVision {
		return "MambaVision"
	}
	return "Mamba"
}

// readmeOutcome is a verdict, in bold unless inconclusive.
func readmeOutcome(o string) string {
	if o == experiment.Inconclusive {
		return o
	}
	return "**" + o + "**"
}

// readmeMinus is v with 2 decimals and its sign, the minus as U+2212.
func readmeMinus(v float64) string {
	return strings.Replace(signedFixed(v, 2), "-", "−", 1)
}

// readmeThousands is n with its digits grouped by three with spaces.
func readmeThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
