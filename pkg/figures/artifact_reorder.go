package figures

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// The four artifacts of the scaled-down ImageNet-1K experiment (docs/paper.md
// §6.2, refinement 2 of §5.2: token reordering by importance score):
// tab-imagenet-scaled, fig-reorder-curves, fig-reorder-importance and
// fig-reorder-sharpness (artifact_reorder_sharpness.go). They share one
// experiment, reorder.Default (reorder.Quick in quick mode), whose result is
// stored by the runner under .cache/experiments/ keyed by the specification,
// the data and a numerics fingerprint: within one Build the first artifact
// reads it from the Build's Experiments source and the others share that
// result (experiments.go). Each artifact's content is
// a function of a validated *reorder.Result (fuzzed).

// reorderScale is the Scale of the artifacts.
const reorderScale = "scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs: Mamba classifier of ~1e4 parameters " +
	"on Fashion-MNIST patch tokens (4×4 patches: 49 tokens; 2×2: 196), a few thousand images, a few epochs"

// reorderNote is the Note of the artifacts.
const reorderNote = "the paper's ImageNet-1K accuracies and curves are not available to us (docs/paper.md §6.2: UNCONFIRMED); only the direction of the effect can be compared"

const reorderNotebook = "notebooks/08-refinement-reordering.ipynb"

// reorderExperiment returns the experiment's result, from the cache when
// its key is unchanged, once per Build (sharedExperiment). What happened
// is printed on the Build's log.
func reorderExperiment(ctx context.Context, env Env) (*reorder.Result, error) {
	l, err := reorderLoad(ctx, env)
	return l.r, err
}

// reorderLoaded is the experiment's result and its provenance inputs.
type reorderLoaded struct {
	r      *reorder.Result
	inputs []Input
}

// reorderLoad is reorderExperiment with the inputs of the artifacts drawn
// from the result (experimentInputs), computed once per Build with it.
func reorderLoad(ctx context.Context, env Env) (reorderLoaded, error) {
	spec := reorder.Default()
	if env.Quick {
		spec = reorder.Quick()
	}
	return sharedExperiment(ctx, env, experimentKey(reorder.CacheName, spec), func(log io.Writer) (reorderLoaded, error) {
		source := env.experimentSource()
		r, err := source.Reorder(ctx, spec, env.Step, log)
		if err != nil {
			return reorderLoaded{}, err
		}
		key, err := spec.SpecJSON()
		if err != nil {
			return reorderLoaded{}, err
		}
		in, err := experimentInputs(source, reorder.CacheName, key, r.Key, r.Data, spec.Prereg)
		return reorderLoaded{r, in}, err
	})
}

// reorderBuild builds an artifact's content from the experiment.
func reorderBuild(content func(*reorder.Result) (*Result, error)) func(context.Context, Env) (*Result, error) {
	return func(ctx context.Context, env Env) (*Result, error) {
		l, err := reorderLoad(ctx, env)
		if err != nil {
			return nil, err
		}
		res, err := content(l.r)
		if err == nil && res != nil {
			res.inputs = l.inputs
		}
		return res, err
	}
}

// reorderParams is the sidecar's "parameters" of the artifacts.
type reorderParams struct {
	Spec        reorder.Spec         `json:"experiment"`
	CacheKey    string               `json:"cache_key"`
	Numerics    string               `json:"numerics_fingerprint"`
	DataDigest  string               `json:"data_digest"`
	Source      string               `json:"source"`
	TrainImages int                  `json:"train_images"`
	TestImages  int                  `json:"test_images"`
	Go          string               `json:"go"`
	Threads     int                  `json:"threads"`
	WallSeconds float64              `json:"experiment_wall_seconds"`
	Summary     reorder.Summary      `json:"summary"`
	Verdicts    []experiment.Verdict `json:"verdicts"`
	Rule        string               `json:"verdict_rule"`
	Prereg      string               `json:"prereg,omitempty"`
	Linear      []reorder.LinearRef  `json:"linear_reference,omitempty"`
}

func newReorderParams(r *reorder.Result) reorderParams {
	return reorderParams{Spec: r.Spec, CacheKey: r.Key, Numerics: r.Numerics, DataDigest: r.Data, Source: r.Source,
		TrainImages: r.TrainImages, TestImages: r.TestImages, Go: r.Go, Threads: r.Threads,
		WallSeconds: render.RoundSig(r.Seconds, 4), Summary: r.Summary(), Verdicts: r.Verdict(), Rule: reorderRule(r),
		Prereg: r.Spec.Prereg, Linear: r.Linear}
}

// reorderRule is the verdict rule that decides r.
func reorderRule(r *reorder.Result) string {
	if r.Prereg != nil {
		return experiment.PreregRule + " (" + r.Spec.Prereg + ")"
	}
	return experiment.Rule
}

// reorderQuirks describes the mixer options used.
func reorderQuirks(c reorder.Spec) string {
	z, inv, bias := "z not reordered", "no inverse permutation after the scan", "dt bias added twice"
	if c.ReorderZ {
		z = "z reordered too"
	}
	if c.InversePermute {
		inv = "inverse permutation after the scan"
	}
	if c.SingleDtBias {
		bias = "dt bias added once"
	}
	if !c.ReorderZ && !c.InversePermute && !c.SingleDtBias {
		return "the authors' mixer (" + z + ", " + inv + ", " + bias + ")"
	}
	return "a modified mixer (" + z + ", " + inv + ", " + bias + ")"
}

// reorderSetup is one sentence on what was trained.
func reorderSetup(r *reorder.Result) string {
	c := r.Spec
	var ls []string
	for _, p := range c.Patches {
		ls = append(ls, fmt.Sprintf("%d (%d×%d patches)", (28/p)*(28/p), p, p))
	}
	return fmt.Sprintf("Mamba classifier (linear patch embedding, %d MambaVision-mixer blocks with d_model %d, d_state %d, d_conv %d, "+
		"%s initialisation, mean pool, linear head) on %d of %d Fashion-MNIST training images (class-stratified), sequences of %s tokens, "+
		"%d epochs of batch %d (%d updates), AdamW lr %s with weight decay %s on %s, tested on %d of %d test images; reordering in block %d with %s; "+
		"paired seeds %v (same shared initial weights and data order in every arm)",
		c.NLayer, c.DModel, c.DState, c.DConv, c.Init, r.TrainImages, r.FullTrain, strings.Join(ls, " and "), c.Epochs, c.Batch,
		c.Epochs*((r.TrainImages+c.Batch-1)/c.Batch), reorderSig(c.LR, 2), reorderSig(c.WeightDecay, 2), reorderDecay(c.DecayGroups),
		r.TestImages, r.FullTest, c.ReorderLayer, reorderQuirks(c), c.Seeds)
}

func reorderDecay(g string) string {
	switch g {
	case model.DecayAll:
		return "every parameter (not the authors': their timm optimizer exempts 1-D parameters)"
	case model.DecayTimm:
		return "timm's groups (every parameter of at most one dimension exempt, as the authors' optimizer)"
	}
	return "Mamba-style groups (not the authors')"
}

// reorderVerdicts is the verdicts in one sentence each, with the rule.
func reorderVerdicts(r *reorder.Result) string {
	var parts []string
	for _, v := range r.Verdict() {
		parts = append(parts, v.Claim+": "+strings.ToUpper(v.Outcome)+" ("+v.Evidence+")")
	}
	return "verdicts on the paper's claim \"reordering improves accuracy and convergence speed\" (rule: " + reorderRule(r) + "): " +
		strings.Join(parts, "; ")
}

func signedFixed(v float64, prec int) string {
	s := render.Fixed(v, prec)
	if v >= 0 && s[0] != '-' {
		s = "+" + s
	}
	return s
}

func reorderPercent(s experiment.Stat) experiment.Stat {
	return experiment.Stat{Mean: 100 * s.Mean, SD: 100 * s.SD, Min: 100 * s.Min, Max: 100 * s.Max, N: s.N}
}

// reorderSig formats v with n significant digits.
func reorderSig(v float64, n int) string {
	s := strconv.FormatFloat(v, 'g', n, 64)
	if strings.TrimLeft(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-") // no "-0"
	}
	return s
}

// pairedCI is "+a [lo, hi]" in percentage points.
func pairedCI(p experiment.Paired, scale float64, prec int) string {
	return signedFixed(scale*p.Mean, prec) + " [" + signedFixed(scale*p.Lo, prec) + ", " + signedFixed(scale*p.Hi, prec) + "]"
}

// pairedCICell is pairedCI with its three numbers for the CSV (ciHeads).
func pairedCICell(p experiment.Paired, scale float64, prec int) render.Cell {
	text := pairedCI(p, scale, prec)
	return render.Cell{Text: text, TeX: "$" + text + "$", Num: render.Nums(prec, scale*p.Mean, scale*p.Lo, scale*p.Hi)}
}

func reorderTableArtifact() Artifact {
	return Artifact{
		ID: "tab-imagenet-scaled", Kind: KindTable,
		Title:    "Test accuracy with and without token reordering, paired over seeds (scaled-down proxy of the MambaVision-T / ImageNet-1K table)",
		PaperRef: "ImageNet-1K table (docs/paper.md §6.2): token reordering improves accuracy and convergence speed",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: reorderBuild(reorderTable),
	}
}

// reorderTable is tab-imagenet-scaled: per sequence length and arm the
// accuracy over seeds, and for the reordering arms the paired difference
// to the baseline with its 95 % CI, sign test and verdict.
func reorderTable(r *reorder.Result) (*Result, error) {
	sum := r.Summary()
	t := render.Table{
		Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs (the paper's numbers are not available to us): " +
			reorderSetup(r) + ". Accuracies in %, mean ± sample sd over seeds; 'averaged over epochs' is the mean of the per-epoch " +
			"test accuracy (higher = faster convergence); Δ columns: reordering − baseline seed by seed, mean and 95 % t interval in " +
			"percentage points, exact two-sided sign test; epochs to reach " + render.Fixed(100*sum.Target, 0) + " % counted as epochs + 1 when " +
			"never reached. Verdict rule: " + reorderRule(r) + ". Whole experiment " + render.Fixed(r.Seconds, 0) + " s wall.",
		Columns: []render.Column{
			{Head: "tokens", Right: true}, {Head: "model"}, {Head: "test accuracy (%)", Right: true, Num: pmHeads("test accuracy (%)")},
			{Head: "averaged over epochs (%)", Right: true, Num: pmHeads("averaged over epochs (%)")},
			{Head: "epochs to " + render.Fixed(100*sum.Target, 0) + " %", Right: true, Num: pmHeads("epochs to " + render.Fixed(100*sum.Target, 0) + " %")},
			{Head: "Δ accuracy (pp, 95 % CI)", Right: true, Num: ciHeads("Δ accuracy (pp)")}, {Head: "sign p", Right: true}, {Head: "verdict: accuracy"},
			{Head: "Δ averaged over epochs (pp, 95 % CI)", Right: true, Num: ciHeads("Δ averaged over epochs (pp)")}, {Head: "sign p", Right: true}, {Head: "verdict: convergence speed"},
			{Head: "final row max", Right: true, Num: []string{"final row max", "1/L"}}, {Head: "parameters", Right: true}, {Head: "seeds", Right: true},
		},
	}
	for _, ps := range sum.Patches {
		for _, a := range ps.Arms {
			acc, mean := reorderPercent(a.TestAcc), reorderPercent(a.MeanAcc)
			row := []render.Cell{
				render.C(fmt.Sprint(ps.L)), render.C(a.Arm.Label()),
				pmCell(acc, 2), pmCell(mean, 2), pmCell(a.EpochsToTarget, 1),
			}
			dash := []render.Cell{render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—")}
			idx := slices.IndexFunc(ps.Compare, func(c reorder.Comparison) bool { return c.Arm.Name == a.Arm.Name })
			if idx < 0 {
				row = append(row, dash...)
			} else {
				c := ps.Compare[idx]
				rm := render.C("—")
				if n := len(a.RowMax); n > 0 {
					rm = render.Cell{Text: render.Fixed(a.RowMax[n-1], 3) + " (1/L = " + render.Fixed(1/float64(ps.L), 3) + ")",
						Num: render.Nums(3, a.RowMax[n-1], 1/float64(ps.L))}
				}
				row = append(row, pairedCICell(c.Final, 100, 2), render.C(reorderSig(c.Final.SignP, 2)), render.C(c.Verdicts[0].Outcome),
					pairedCICell(c.MeanAcc, 100, 2), render.C(reorderSig(c.MeanAcc.SignP, 2)), render.C(c.Verdicts[1].Outcome), rm)
			}
			row = append(row, render.C(fmt.Sprint(a.Params)), render.C(fmt.Sprint(a.Runs)))
			t.Rows = append(t.Rows, row)
		}
	}
	t.Rows = append(t.Rows, []render.Cell{
		render.C("196, 49"), render.C("paper: MambaVision-T on ImageNet-1K, ± reordering"), render.C("not available to us"), render.C("—"), render.C("—"),
		render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"), render.C("—"),
	})
	tables := []render.Table{t}
	if r.Prereg != nil {
		dt, err := reorderDecisionTable(r)
		if err != nil {
			return nil, err
		}
		tables = append(tables, dt)
	}
	return &Result{
		Params: newReorderParams(r),
		Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K table (paper's numbers not available to us); " +
			reorderVerdicts(r),
		Tables: tables,
	}, nil
}

// reorderDecisionTable is the table of the pre-registered hypotheses, with
// the numbers each verdict is computed from (percentage points).
func reorderDecisionTable(r *reorder.Result) (render.Table, error) {
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		return render.Table{}, err
	}
	ab := make([]string, len(ds))
	ps := make([]experiment.Paired, len(ds))
	for i, d := range ds {
		e, err := reorder.ParseEndpoint(r.Spec, d.Endpoint)
		if err != nil {
			return render.Table{}, err
		}
		diffs, err := r.EndpointDiffs(e)
		if err != nil {
			return render.Table{}, err
		}
		if ps[i], err = experiment.PairedDiff(diffs, make([]float64, len(diffs))); err != nil {
			return render.Table{}, err
		}
		ab[i] = fmt.Sprintf("%s − %s (%d tokens, %s)", e.A, e.B, e.L, map[string]string{reorder.MetricFinal: "final accuracy",
			reorder.MetricMean: "accuracy averaged over epochs"}[e.Metric])
	}
	d0 := ds[0]
	caption := fmt.Sprintf("Pre-registered comparisons (%s): paired differences of test accuracy in percentage points, arm A − arm B "+
		"with the same seed (same shared initial weights and data order), mean with %g %% Student-t interval, seeds with A above / below B, "+
		"Holm-adjusted p-values of the two-sided t-test and of TOST for equivalence within ±%g %s (Holm within each family), power reached "+
		"for an effect of ±%g %s at the observed SD. Verdict rule: %s.",
		r.Spec.Prereg, 100*(1-d0.Alpha), d0.Margin.Value, d0.Margin.Unit, r.Prereg.Effect.Value, r.Prereg.Effect.Unit, experiment.PreregRule)
	return decisionTable(caption, ds, ab, ps, 2), nil
}

// reorderCurvePanel draws the paired test-accuracy difference of every
// reordering arm at one sequence length: per epoch the mean (solid) and
// its 95 % CI (dotted), with 0 the baseline.
func reorderCurvePanel(ps reorder.PatchSummary, epochs int) render.Panel {
	p := render.Panel{Title: fmt.Sprintf("%d tokens: test accuracy, reordering − baseline (paired)", ps.L),
		X: render.Axis{Label: "epoch", Integer: true}, Y: render.Axis{Label: "Δ test accuracy (percentage points)"}}
	for i, c := range ps.Compare {
		var x, m, lo, hi []float64
		for e, d := range c.PerEpoch {
			x = append(x, float64(e+1))
			m, lo, hi = append(m, 100*d.Mean), append(lo, 100*d.Lo), append(hi, 100*d.Hi)
		}
		p.Series = append(p.Series, render.Band(c.Arm.Short(), x, m, lo, hi, i+1)...)
	}
	return p
}

// reorderAccPanel draws the test accuracy of every arm: mean over seeds
// (solid) with min and max (dotted).
func reorderAccPanel(r *reorder.Result, ps reorder.PatchSummary) render.Panel {
	p := render.Panel{Title: fmt.Sprintf("%d tokens: test accuracy", ps.L), X: render.Axis{Label: "epoch", Integer: true},
		Y: render.Axis{Label: "test accuracy (%)"}, LegendBottom: true}
	for i, a := range r.Spec.Arms {
		var x, m, lo, hi []float64
		for e := 0; e < r.Spec.Epochs; e++ {
			var xs []float64
			for _, run := range r.Runs {
				if run.Patch == ps.Patch && run.Arm == a.Name {
					xs = append(xs, 100*run.Epochs[e].TestAcc)
				}
			}
			st := experiment.NewStat(xs)
			x, m, lo, hi = append(x, float64(e+1)), append(m, st.Mean), append(lo, st.Min), append(hi, st.Max)
		}
		p.Series = append(p.Series, render.Band(a.Short(), x, m, lo, hi, i)...)
	}
	return p
}

func reorderCurvesArtifact() Artifact {
	return Artifact{
		ID: "fig-reorder-curves", Kind: KindFigure,
		Title:    "Test accuracy per epoch and the paired difference with reordering (scaled-down proxy of the MambaVision-T / ImageNet-1K runs)",
		PaperRef: "ImageNet-1K training curves (docs/paper.md §7, number UNCONFIRMED): reordering improves accuracy and convergence speed",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: reorderBuild(reorderCurves),
	}
}

// reorderCurves is fig-reorder-curves: per sequence length the accuracy
// per arm and the paired differences with their CI.
func reorderCurves(r *reorder.Result) (*Result, error) {
	var panels []render.Panel
	for _, ps := range r.Summary().Patches {
		panels = append(panels, reorderAccPanel(r, ps), reorderCurvePanel(ps, r.Spec.Epochs))
	}
	return &Result{
		Params: newReorderParams(r),
		Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs (paper's numbers and curves not available to us): " +
			"left, test accuracy after every epoch, mean over seeds (solid) with min and max (dotted); right, reordering − baseline " +
			"seed by seed, mean (solid) and 95 % t interval (dotted); " + reorderSetup(r) + "; " + reorderVerdicts(r),
		Figures: []render.Figure{{
			Title:  "With and without token reordering, per epoch, paired over seeds (scaled-down proxy on Fashion-MNIST)",
			Panels: panels, Cols: 2,
		}},
	}, nil
}

// ImportanceOverlay returns the image (H, W) of s as a matrix whose entry
// is (0.3 + 0.7·pixel)·ρ(patch), where ρ ∈ [−1, 1] is the rank of the
// patch's score among the L = (H/patch)·(W/patch) patches scaled linearly
// (−1: lowest score, placed first by SoftSort; +1: highest, placed last;
// ties by patch index). The garment shows through the brightness, the
// importance through the colour (fig-reorder-importance, notebook 08).
func ImportanceOverlay(s reorder.Sample, patch int) [][]float64 {
	L := len(s.Scores)
	rank := make([]float64, L)
	order := make([]int, L)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case s.Scores[a] < s.Scores[b]:
			return -1
		case s.Scores[a] > s.Scores[b]:
			return 1
		}
		return 0
	})
	for k, l := range order {
		rank[l] = 2*float64(k)/float64(max(1, L-1)) - 1
	}
	pc := s.W / patch
	z := make([][]float64, s.H)
	for y := range z {
		z[y] = make([]float64, s.W)
		for x := range z[y] {
			l := (y/patch)*pc + x/patch
			z[y][x] = (0.3 + 0.7*float64(s.Pixels[y*s.W+x])) * rank[l]
		}
	}
	return z
}

// scoreGrid returns the scores s_l − mean(s) as the (H/p, W/p) patch grid.
func scoreGrid(s reorder.Sample, patch int) [][]float64 {
	var mean float64
	for _, v := range s.Scores {
		mean += v
	}
	mean /= float64(len(s.Scores))
	pr, pc := s.H/patch, s.W/patch
	z := make([][]float64, pr)
	for r := range z {
		z[r] = make([]float64, pc)
		for c := range z[r] {
			z[r][c] = s.Scores[r*pc+c] - mean
		}
	}
	return z
}

func className(c int) string {
	names := vision.ClassNames()
	if c >= 0 && c < len(names) {
		return names[c]
	}
	return fmt.Sprint(c)
}

func reorderImportanceArtifact() Artifact {
	return Artifact{
		ID: "fig-reorder-importance", Kind: KindFigure,
		Title:    "Learned importance score per patch and the soft permutation matrix (scaled-down proxy of MambaVision-T with reordering)",
		PaperRef: "refinement 2 (docs/paper.md §5.2): importance score s_l = K(S_Δ x_l + b_dt) and SoftSort reordering",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: reorderBuild(reorderImportance),
	}
}

// reorderImportance is fig-reorder-importance: the first seed of the first
// authors' (else first) reordering arm at the first patch size.
func reorderImportance(r *reorder.Result) (*Result, error) {
	arm := r.Spec.Arms[1]
	if i := slices.IndexFunc(r.Spec.Arms, func(a reorder.Arm) bool { return a.Reorder && a.Authors }); i >= 0 {
		arm = r.Spec.Arms[i]
	}
	p := r.Spec.Patches[0]
	var run *reorder.Record
	for i := range r.Runs {
		if r.Runs[i].Arm == arm.Name && r.Runs[i].Patch == p && r.Runs[i].Importance != nil {
			run = &r.Runs[i]
			break
		}
	}
	if run == nil {
		return nil, fmt.Errorf("the experiment has no run with reordering")
	}
	imp := run.Importance
	var panels []render.Panel
	for _, s := range imp.Samples {
		panels = append(panels, render.Panel{
			Title: fmt.Sprintf("%s (predicted %s)", className(s.Label), className(s.Predicted)),
			X:     render.Axis{Label: "pixel column"}, Y: render.Axis{Label: "pixel row"},
			Heat: &render.Heatmap{Z: ImportanceOverlay(s, p), Label: "rank of s_l (±1), × brightness"},
		})
	}
	s0 := imp.Samples[0]
	panels = append(panels,
		render.Panel{
			Title: fmt.Sprintf("%s: score s_l − mean per patch", className(s0.Label)),
			X:     render.Axis{Label: "patch column"}, Y: render.Axis{Label: "patch row"},
			Heat: &render.Heatmap{Z: scoreGrid(s0, p), Label: "s_l − mean(s)"},
		},
		render.Panel{
			Title: fmt.Sprintf("%s: soft permutation matrix", className(s0.Label)),
			X:     render.Axis{Label: "original patch l"}, Y: render.Axis{Label: "new position k (ascending s)"},
			Heat: &render.Heatmap{Z: imp.PHat, Label: "SoftSort entry (k, l)"},
		})
	return &Result{
		Params: newReorderParams(r),
		Caption: fmt.Sprintf("Scaled-down proxy of MambaVision-T with token reordering (paper's figures not available to us): "+
			"the importance score s_l = K(S_Δ x_l + b_dt) of block %d of the reordering model with seed %d, on the first test "+
			"images of %d classes. Overlays: colour = rank of the patch's score (red: highest, moved to the end of the sequence; "+
			"blue: lowest, moved to the front), brightness = pixel value; then the centred scores of the first image and its "+
			"soft permutation matrix SoftSort(−s) (τ = %s), row k a soft one-hot on the patch with the k-th smallest score; "+
			"its rows' largest entry is %s on average (1 for a permutation, 1/%d = %s for uniform rows); %s",
			imp.Layer, run.Seed, len(imp.Samples), reorderSig(arm.Tau, 2), render.Fixed(meanRowMax(imp.PHat), 3),
			len(imp.PHat), render.Fixed(1/float64(len(imp.PHat)), 3), reorderSetup(r)),
		Figures: []render.Figure{{
			Title:      "What the reordering block ranks important (scaled-down proxy on Fashion-MNIST)",
			Panels:     panels,
			Cols:       3,
			PanelWidth: 9, PanelHeight: 8,
		}},
	}, nil
}

// meanRowMax is the mean over rows of the largest entry: how close a
// row-stochastic matrix is to a permutation (1) or to uniform rows (1/L).
func meanRowMax(p [][]float64) float64 {
	var s float64
	for _, row := range p {
		s += slices.Max(row)
	}
	return s / float64(max(1, len(p)))
}
