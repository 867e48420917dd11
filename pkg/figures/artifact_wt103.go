package figures

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// The artifacts of the scaled-down WikiText-103 experiment (docs/paper.md
// §6.1, refinement 1 of §5.1): tab-wt103-scaled, fig-training-curves,
// fig-spectra and fig-lm-comparisons. They share one experiment, lm.Default
// (lm.Quick in quick mode), whose result the runner stored under
// .cache/experiments/ keyed by the configuration, the data and a numerics
// fingerprint: within one Build the first artifact reads it from the Build's
// Experiments source (Stored, or runner.Source from the command) and the
// others share that result (experiments.go).

// wt103Scale is the Scale of the four artifacts.
const wt103Scale = "scaled-down proxy of the paper's ~130M-parameter WikiText-103 run: byte-level Mamba of 1.6e5 parameters (8 layers) on GCIDE text, 12.6 bytes per parameter"

// wt103Note is the Note of the four artifacts.
const wt103Note = "the paper's WikiText-103 numbers are not available to us (docs/paper.md §6.1: UNCONFIRMED); only the direction of the differences can be compared"

const wt103Notebook = "notebooks/07-refinement-convergent-scenario.ipynb"

// wt103Experiment returns the experiment's result, from the cache when its
// key is unchanged, once per Build (sharedExperiment). What happened is
// printed on the Build's log.
func wt103Experiment(ctx context.Context, env Env) (*lm.Result, error) {
	l, err := wt103Load(ctx, env)
	return l.r, err
}

// wt103Loaded is the experiment's result and its provenance inputs.
type wt103Loaded struct {
	r      *lm.Result
	inputs []Input
}

// wt103Load is wt103Experiment with the inputs of the artifacts drawn from
// the result (experimentInputs), computed once per Build with it.
func wt103Load(ctx context.Context, env Env) (wt103Loaded, error) {
	spec := lm.Default()
	if env.Quick {
		spec = lm.Quick()
	}
	return sharedExperiment(ctx, env, experimentKey(spec.Name, spec), func(log io.Writer) (wt103Loaded, error) {
		source := env.experimentSource()
		r, err := source.LM(ctx, spec, env.Step, log)
		if err != nil {
			return wt103Loaded{}, err
		}
		key, err := spec.SpecJSON()
		if err != nil {
			return wt103Loaded{}, err
		}
		in, err := experimentInputs(source, spec.Name, key, r.Key, r.Data, spec.Prereg)
		return wt103Loaded{r, in}, err
	})
}

// wt103Build is the Build of an artifact drawn from the experiment's
// result by draw (the result comes from the cache when its key holds).
func wt103Build(draw func(*lm.Result) (*Result, error)) func(context.Context, Env) (*Result, error) {
	return func(ctx context.Context, env Env) (*Result, error) {
		l, err := wt103Load(ctx, env)
		if err != nil {
			return nil, err
		}
		res, err := draw(l.r)
		if err == nil && res != nil {
			res.inputs = l.inputs
		}
		return res, err
	}
}

// wt103Label names an arm as the paper's argument does.
func wt103Label(arm string) string {
	switch arm {
	case lm.ArmNeg:
		return "negative (convergent)"
	case lm.ArmMixed:
		return "mixed"
	case lm.ArmPos:
		return "positive (refinement 1)"
	case lm.ArmNone:
		return "unconstrained"
	case lm.ArmNegD0:
		return "negative, D₀ = 0"
	case lm.ArmPosD0:
		return "positive, D₀ = 0"
	case lm.ArmNegWD:
		return "negative, wd 2.8"
	case lm.ArmPosWD:
		return "positive, wd 2.8"
	case lm.ArmNoneWD:
		return "unconstrained, wd 2.8"
	}
	return arm
}

// wt103Structure says what the parametrization makes of S_Cᵀ S_B.
func wt103Structure(param string, n int) (text, tex string) {
	switch param {
	case "neg":
		return fmt.Sprintf("NSD, %d negative", n), fmt.Sprintf(`NSD, %d negative`, n)
	case "mixed":
		return fmt.Sprintf("%d positive, %d negative", n/2, n-n/2), fmt.Sprintf(`%d positive, %d negative`, n/2, n-n/2)
	case "pos":
		return fmt.Sprintf("PSD, %d positive", n), fmt.Sprintf(`PSD, %d positive`, n)
	}
	return "unconstrained", "unconstrained"
}

// wt103Params is the sidecar's "parameters" of the four artifacts.
type wt103Params struct {
	Spec        lm.Spec              `json:"experiment"`
	CacheKey    string               `json:"cache_key"`
	Numerics    string               `json:"numerics_fingerprint"`
	DataDigest  string               `json:"data_digest"`
	Corpus      string               `json:"corpus"`
	SplitBytes  [3]int               `json:"split_bytes"`
	Go          string               `json:"go"`
	WallSeconds float64              `json:"experiment_wall_seconds"`
	CPUSeconds  float64              `json:"experiment_cpu_seconds"`
	Summary     []lm.ArmSummary      `json:"summary"`
	Comparisons []lm.Comparison      `json:"comparisons"`
	Verdicts    []experiment.Verdict `json:"verdicts"`
	Rule        string               `json:"verdict_rule"`
	// Prereg and Decisions: the pre-registration that decides the result
	// and its decisions with every number (absent for a design without one).
	Prereg    string                `json:"prereg,omitempty"`
	Decisions []experiment.Decision `json:"decisions,omitempty"`
	Effect    *experiment.Quantity  `json:"effect,omitempty"` // the effect the power is for
}

func newWT103Params(r *lm.Result) (wt103Params, error) {
	cs, err := r.Comparisons()
	if err != nil {
		return wt103Params{}, err
	}
	vs, err := r.Verdicts()
	if err != nil {
		return wt103Params{}, err
	}
	p := wt103Params{Spec: r.Spec, CacheKey: r.Key, Numerics: r.Numerics, DataDigest: r.Data, Corpus: r.Corpus,
		SplitBytes: r.Splits, Go: r.Go, WallSeconds: render.RoundSig(r.Seconds, 4), CPUSeconds: render.RoundSig(r.CPUSeconds, 4),
		Summary: r.Summary(), Comparisons: cs, Verdicts: vs, Rule: experiment.Rule}
	if r.Prereg != nil {
		if p.Decisions, err = r.Decide(*r.Prereg); err != nil {
			return wt103Params{}, err
		}
		p.Prereg, p.Rule, p.Effect = r.Spec.Prereg, experiment.PreregRule, &r.Prereg.Effect
	}
	return p, nil
}

// wt103Setup is one sentence on what was trained.
func wt103Setup(r *lm.Result) string {
	b := r.Spec.Base
	var depths []string
	for _, s := range r.Summary() {
		if s.Arm == r.Spec.Arms[0].Name {
			depths = append(depths, fmt.Sprintf("%s (%d parameters, %.1f bytes per parameter)", s.Depth, s.Params, float64(s.Tokens)/float64(s.Params)))
		}
	}
	decay := fmt.Sprintf("weight decay %g on every parameter%s", b.Train.WeightDecay, wt103DecaySum(r, ""))
	for _, a := range r.Spec.Arms {
		if a.WeightDecay > 0 && a.WeightDecay != b.Train.WeightDecay {
			decay += fmt.Sprintf("; arm %s %g%s", a.Name, a.WeightDecay, wt103DecaySum(r, a.Name))
		}
	}
	return fmt.Sprintf("byte-level Mamba at depth%s %s (layers×d_model, d_state %d, float32; the authors train in mixed precision) trained on GCIDE dictionary text, "+
		"%d updates of %d×%d bytes per run, AdamW (the authors' schedule) with %s, seeds %v shared by every arm "+
		"(identical initial draws and data order)",
		map[bool]string{true: "s", false: ""}[len(depths) > 1], strings.Join(depths, ", "), b.Model.DState, b.Train.Steps,
		b.Train.Batch*b.Train.Accum, b.Data.SeqLen, decay, r.Spec.Seeds)
}

// wt103DecaySum is " (Σ lr·wd 0.41)" for arm (""): the first arm with the
// base weight decay), from what the runs recorded; "" when they did not.
func wt103DecaySum(r *lm.Result, arm string) string {
	for _, s := range r.Summary() {
		a := t103Arms(r)[s.Arm]
		if (arm == "" && a.WeightDecay == 0 || s.Arm == arm) && s.DecayIntegral > 0 {
			return fmt.Sprintf(" (Σ lr·wd %s)", render.Fixed(s.DecayIntegral, 2))
		}
	}
	return ""
}

// wt103VerdictLine is the verdicts in one sentence: every pre-registered
// hypothesis, or (a design without a pre-registration) the paper's claim
// at each depth and pooled.
func wt103VerdictLine(params wt103Params) string {
	var parts []string
	if params.Decisions != nil {
		for _, d := range params.Decisions {
			parts = append(parts, fmt.Sprintf("%s (%s) %s: %s", d.ID, d.Family, d.Endpoint, d.Verdict))
		}
		return "pre-registered verdicts (" + params.Prereg + "): " + strings.Join(parts, "; ")
	}
	for _, v := range params.Verdicts {
		if strings.HasPrefix(v.Claim, lm.ClaimNegWorse) {
			depth := strings.TrimSuffix(strings.TrimPrefix(v.Claim, lm.ClaimNegWorse+" [depth "), "]")
			parts = append(parts, depth+": "+v.Outcome)
		}
	}
	return "claim '" + lm.ClaimNegWorse + "': " + strings.Join(parts, "; ")
}

func pm(s experiment.Stat, prec int) string {
	return render.Fixed(s.Mean, prec) + " ± " + render.Fixed(s.SD, prec)
}

func pmTeX(s experiment.Stat, prec int) string {
	return "$" + render.Fixed(s.Mean, prec) + " \\pm " + render.Fixed(s.SD, prec) + "$"
}

// ci is "+0.012 [−0.003, +0.027]".
func ci(p experiment.Paired, prec int) (text, tex string) {
	text = wt103Signed(p.Mean, prec) + " [" + wt103Signed(p.Lo, prec) + ", " + wt103Signed(p.Hi, prec) + "]"
	return text, "$" + text + "$"
}

// pmCell is the cell "mean ± sd" (math in LaTeX) with the two numbers for
// the CSV; its column takes pmHeads.
func pmCell(s experiment.Stat, prec int) render.Cell {
	return render.Cell{Text: pm(s, prec), TeX: pmTeX(s, prec), Num: render.Nums(prec, s.Mean, s.SD)}
}

// pmHeads are the CSV heads of a pmCell column.
func pmHeads(head string) []string { return []string{head + " mean", head + " sd"} }

// ciCell is the cell "mean [lo, hi]" of a paired difference with the three
// numbers for the CSV; its column takes ciHeads.
func ciCell(p experiment.Paired, prec int) render.Cell {
	text, tex := ci(p, prec)
	return render.Cell{Text: text, TeX: tex, Num: render.Nums(prec, p.Mean, p.Lo, p.Hi)}
}

// ciHeads are the CSV heads of a ciCell column.
func ciHeads(head string) []string {
	return []string{head + " mean", head + " 95% CI low", head + " 95% CI high"}
}

func wt103TableArtifact() Artifact {
	return Artifact{
		ID: "tab-wt103-scaled", Kind: KindTable,
		Look:     "the paired table: the primary H1 (neg − pos at the authors' total weight decay) and each secondary, with Holm-adjusted p-values and the verdict of the pre-registered rule",
		Title:    "Perplexity with negative, positive, mixed and unconstrained S_Cᵀ S_B at two total weight decays, paired by seed (scaled-down proxy of the WikiText-103 table)",
		PaperRef: "WikiText-103 table (docs/paper.md §6.1): the convergent scenario (negative eigenvalues) harms performance",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: wt103Build(wt103Table),
	}
}

// t103Arms indexes the specification's arms by name.
func t103Arms(r *lm.Result) map[string]lm.Arm {
	m := map[string]lm.Arm{}
	for _, a := range r.Spec.Arms {
		m[a.Name] = a
	}
	return m
}

// wt103ClaimOf is the claim a comparison tests ("" for a reported-only one).
func wt103ClaimOf(c lm.Comparison) string {
	switch {
	case c.A == lm.ArmNeg && c.B == lm.ArmPos:
		return lm.ClaimNegWorse
	case c.A == lm.ArmNeg && c.B == lm.ArmNone:
		return lm.ClaimNegVsNone
	case c.A == lm.ArmNegD0 && c.B == lm.ArmPosD0:
		return lm.ClaimD0Difference
	}
	return ""
}

// wt103Curve is the validation perplexity of (depth, arm) against the
// update: mean, min and max over seeds.
func wt103Curve(r *lm.Result, depth, arm string) (x, mean, lo, hi []float64) {
	var per [][]lmrun.Point
	for _, run := range r.Runs {
		if run.Depth == depth && run.Arm == arm {
			per = append(per, run.Curve)
		}
	}
	if len(per) == 0 {
		return nil, nil, nil, nil
	}
	for k, p := range per[0] {
		var xs []float64
		for _, h := range per {
			if k < len(h) && h[k].Step == p.Step {
				xs = append(xs, h[k].Valid.Perplexity)
			}
		}
		st := experiment.NewStat(xs)
		x, mean, lo, hi = append(x, float64(p.Step)), append(mean, st.Mean), append(lo, st.Min), append(hi, st.Max)
	}
	return x, mean, lo, hi
}

// wt103CurveDiff is, at every evaluation step, the mean, min and max over
// seeds of (validation perplexity of a) − (that of b with the same seed).
func wt103CurveDiff(r *lm.Result, depth, a, b string) (x, mean, lo, hi []float64) {
	curve := map[string]map[uint64][]lmrun.Point{a: {}, b: {}}
	for _, run := range r.Runs {
		if run.Depth == depth && (run.Arm == a || run.Arm == b) {
			curve[run.Arm][run.Seed] = run.Curve
		}
	}
	var diffs [][]float64
	for _, seed := range r.Spec.Seeds {
		ca, cb := curve[a][seed], curve[b][seed]
		if len(ca) == 0 || len(ca) != len(cb) {
			continue
		}
		d := make([]float64, len(ca))
		for k := range ca {
			d[k] = ca[k].Valid.Perplexity - cb[k].Valid.Perplexity
		}
		diffs = append(diffs, d)
		if x == nil {
			for _, p := range ca {
				x = append(x, float64(p.Step))
			}
		}
	}
	for k := range x {
		var xs []float64
		for _, d := range diffs {
			xs = append(xs, d[k])
		}
		st := experiment.NewStat(xs)
		mean, lo, hi = append(mean, st.Mean), append(lo, st.Min), append(hi, st.Max)
	}
	return x, mean, lo, hi
}

func wt103CurvesArtifact() Artifact {
	return Artifact{
		ID: "fig-training-curves", Kind: KindFigure,
		Look:     "the lower row: the paired neg − pos gap over training at each depth against its seed band, and whether it differs from the D₀ = 0 gap",
		Title:    "Validation perplexity during training per S_Cᵀ S_B arm and depth (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "WikiText-103 training curves (docs/paper.md §7, number UNCONFIRMED): the convergent scenario trains worse",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: wt103Build(wt103Curves),
	}
}

func wt103SpectraArtifact() Artifact {
	return Artifact{
		ID: "fig-spectra", Kind: KindFigure,
		Look:     "every pos eigenvalue stays above 0 and every neg one below after training; the unconstrained model's mix of signs",
		Title:    "Eigenvalues of S_Cᵀ S_B after training, per arm and depth (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "refinement 1 (docs/paper.md §5.1): the parametrizations fix the signs of the eigenvalues of S_Cᵀ S_B",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: wt103Build(wt103Spectra),
	}
}

func wt103ComparisonsArtifact() Artifact {
	return Artifact{
		ID: "fig-lm-comparisons", Kind: KindFigure,
		Look:     "which intervals leave 0, on which side: the primary H1 first; the per-seed points show how consistent each difference is",
		Title:    "Every pre-registered paired comparison of test perplexity, per seed with mean and 95 % CI (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "WikiText-103 table (docs/paper.md §6.1): the convergent scenario (negative eigenvalues) harms performance; refinement 1 improves on Mamba",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: wt103Build(wt103Comparisons),
	}
}

// wt103Signed is Fixed with an explicit + for positive values.
func wt103Signed(v float64, prec int) string {
	s := render.Fixed(v, prec)
	if v > 0 && s != render.Fixed(0, prec) {
		s = "+" + s
	}
	return s
}

// wt103Table builds the artifact from the experiment's result.
func wt103Table(r *lm.Result) (*Result, error) {
	params, err := newWT103Params(r)
	if err != nil {
		return nil, err
	}
	n := r.Spec.Base.Model.DState
	arms := t103Arms(r)
	runs := render.Table{
		Name: "runs",
		Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (the paper's numbers are not available to us): " +
			wt103Setup(r) + ". Perplexity is per byte (exp of the mean NLL per byte), not comparable with per-GPT-2-token perplexity; " +
			"mean ± sample sd over seeds; after training: the mean number of eigenvalues of S_Cᵀ S_B per layer with positive / negative " +
			fmt.Sprintf("real part, and the fraction of channels whose skip D ended positive. The whole experiment took %.0f s of wall time and %.0f s of CPU time.",
				r.Seconds, r.CPUSeconds),
		Columns: []render.Column{
			{Head: "depth"}, {Head: "arm"}, {Head: "S_Cᵀ S_B", TeX: `$S_C^\top S_B$`},
			{Head: "test ppl", Right: true, Num: pmHeads("test ppl")},
			{Head: "test bits/byte", Right: true, Num: pmHeads("test bits/byte")},
			{Head: "μ eigenvalues + / − after training", TeX: `$\mu$ eigenvalues $+$ / $-$ after training`, Right: true,
				Num: []string{"μ eigenvalues + after training", "μ eigenvalues − after training"}},
			{Head: "D > 0", TeX: `$D > 0$`, Right: true, Num: []string{"D > 0 (%)"}},
			{Head: "parameters", Right: true}, {Head: "seeds", Right: true},
		},
	}
	for _, s := range r.Summary() {
		st, stTeX := wt103Structure(arms[s.Arm].Param, n)
		inertia := render.Fixed(s.MuPositive, 1) + " / " + render.Fixed(s.MuNegative, 1)
		runs.Rows = append(runs.Rows, []render.Cell{
			render.C(s.Depth), render.C(wt103Label(s.Arm)), render.CT(st, stTeX),
			pmCell(s.TestPPL, 3), pmCell(s.TestBPB, 4),
			{Text: inertia, Num: render.Nums(1, s.MuPositive, s.MuNegative)},
			{Text: render.Fixed(100*s.SkipPositive, 0) + " %", Num: render.Nums(0, 100*s.SkipPositive)}, render.C(fmt.Sprint(s.Params)), render.C(fmt.Sprint(s.Runs)),
		})
	}
	pairs := wt103PairsTable(params)
	if params.Decisions != nil {
		pairs = wt103DecisionTable(params)
	}
	return &Result{
		Params: params,
		Caption: "Scaled-down proxy of the paper's WikiText-103 table (paper's numbers not available to us), paired by seed; " +
			wt103VerdictLine(params),
		Tables: []render.Table{runs, pairs},
	}, nil
}

// wt103Curves builds the artifact from the experiment's result.
func wt103Curves(r *lm.Result) (*Result, error) {
	params, err := newWT103Params(r)
	if err != nil {
		return nil, err
	}
	var curves, diffs []render.Panel
	for _, d := range r.Spec.Depths {
		p := render.Panel{Title: "depth " + d.Name(), X: render.Axis{Label: "update", Integer: true}, Y: render.Axis{Label: "validation perplexity (per byte)", Log: true}}
		for i, a := range r.Spec.Arms {
			x, mean, lo, hi := wt103Curve(r, d.Name(), a.Name)
			p.Series = append(p.Series, render.Band(wt103Label(a.Name), x, mean, lo, hi, i)...)
		}
		curves = append(curves, p)
		q := render.Panel{Title: "paired differences, depth " + d.Name(), X: render.Axis{Label: "update", Integer: true},
			Y: render.Axis{Label: "Δ validation perplexity, same seed"}, Rules: []render.Rule{{At: 0, Color: render.ColorGrey}}}
		for i, pair := range wt103CurvePairs(r) {
			if x, mean, lo, hi := wt103CurveDiff(r, d.Name(), pair[0], pair[1]); len(x) > 0 {
				q.Series = append(q.Series, render.Band(pair[0]+" − "+pair[1], x, mean, lo, hi, i)...)
			}
		}
		diffs = append(diffs, q)
	}
	return &Result{
		Params: params,
		Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): " +
			"validation perplexity per byte against the update at each depth, mean over seeds (solid) with the min and max over seeds (dotted), " +
			"and the paired differences neg − pos (at each weight decay of the design) and, with D₀ = 0, neg-d0 − pos-d0; " + wt103Setup(r),
		Figures: []render.Figure{{
			Title:  "Validation perplexity per arm and depth (scaled-down proxy, byte-level GCIDE)",
			Panels: append(curves, diffs...), Cols: len(curves),
		}},
	}, nil
}

// wt103CurvePairs are the neg − pos pairs whose gap the training curves
// follow: at each weight decay of the design, then at D₀ = 0.
func wt103CurvePairs(r *lm.Result) [][2]string {
	has := t103Arms(r)
	var out [][2]string
	for _, p := range [][2]string{{lm.ArmNeg, lm.ArmPos}, {lm.ArmNegWD, lm.ArmPosWD}, {lm.ArmNegD0, lm.ArmPosD0}} {
		if _, ok := has[p[0]]; ok {
			if _, ok := has[p[1]]; ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// wt103Spectra builds the artifact from the experiment's result.
func wt103Spectra(r *lm.Result) (*Result, error) {
	params, err := newWT103Params(r)
	if err != nil {
		return nil, err
	}
	var panels []render.Panel
	maxImag := 0.0
	for _, a := range r.Spec.Arms {
		p := render.Panel{Title: wt103Label(a.Name), X: render.Axis{Label: "rank n (largest first)", Integer: true},
			Y:     render.Axis{Label: "eigenvalue of S_Cᵀ S_B (real part)"},
			Rules: []render.Rule{{At: 0, Color: render.ColorGrey}}}
		for di, d := range r.Spec.Depths {
			s := render.Series{Name: "depth " + d.Name() + ", all layers and seeds", Style: render.Points, Color: di}
			for _, run := range r.Runs {
				if run.Arm != a.Name || run.Depth != d.Name() {
					continue
				}
				for _, sp := range run.Spectra {
					for k := range sp.Real {
						s.X = append(s.X, float64(k+1))
						s.Y = append(s.Y, sp.Real[k])
						maxImag = math.Max(maxImag, math.Abs(sp.Imag[k]))
					}
				}
			}
			p.Series = append(p.Series, s)
		}
		panels = append(panels, p)
	}
	b := r.Spec.Base
	return &Result{
		Params: params,
		Caption: fmt.Sprintf("Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): "+
			"the %d nonzero eigenvalues of S_Cᵀ S_B (d_inner × d_inner, rank ≤ d_state) of every layer after training, all seeds; "+
			"the others are 0; largest imaginary part %s (unconstrained model only); %s",
			b.Model.DState, render.Sci(maxImag, 2), wt103Setup(r)),
		Figures: []render.Figure{{
			Title:  "Eigenvalues of S_Cᵀ S_B after training (scaled-down proxy, byte-level GCIDE)",
			Panels: panels, Cols: 3,
		}},
	}, nil
}

// wt103Comparisons builds the artifact from the experiment's result: one
// column per reported comparison (the pre-registered hypotheses in order),
// its per-seed differences, mean and 95 % interval.
func wt103Comparisons(r *lm.Result) (*Result, error) {
	params, err := newWT103Params(r)
	if err != nil {
		return nil, err
	}
	p := render.Panel{Title: "paired by seed, A − B", X: render.Axis{Label: "comparison (legend)", Integer: true},
		Y: render.Axis{Label: "Δ test perplexity per byte"}, Rules: []render.Rule{{At: 0, Color: render.ColorGrey}}}
	seeds := render.Series{Name: "one point per seed", Style: render.Points, Color: render.ColorGrey}
	means := render.Series{Name: "mean", Style: render.Points, Color: 0}
	for i, c := range params.Comparisons {
		x := float64(i + 1)
		name := c.A + " − " + c.B
		if params.Decisions != nil {
			name = params.Decisions[i].ID + " " + name + ": " + params.Decisions[i].Verdict
		} else if len(r.Spec.Depths) > 1 {
			name = c.Depth + " " + name
		}
		p.Series = append(p.Series, render.Series{Name: name + " (95 % CI)", X: []float64{x, x}, Y: []float64{c.Paired.Lo, c.Paired.Hi},
			Style: render.Solid, Color: i + 1})
		means.X, means.Y = append(means.X, x), append(means.Y, c.Paired.Mean)
		for _, v := range c.Paired.Diffs {
			seeds.X, seeds.Y = append(seeds.X, x), append(seeds.Y, v)
		}
	}
	p.Series = append(p.Series, seeds, means)
	return &Result{
		Params: params,
		Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): " +
			"for each reported comparison, test perplexity per byte of arm A minus arm B with the same seed (grey points), their mean " +
			"and 95 % Student-t interval (unadjusted; the verdicts use Holm-adjusted p-values); " +
			wt103VerdictLine(params) + "; " + wt103Setup(r),
		Figures: []render.Figure{{
			Title:  "Paired comparisons of test perplexity per byte (scaled-down proxy)",
			Panels: []render.Panel{p},
		}},
	}, nil
}

// wt103PairsTable is the paired table of a design without a
// pre-registration: every comparison of Comparisons with the older rule's
// verdict where it decides one.
func wt103PairsTable(params wt103Params) render.Table {
	pairs := render.Table{
		Name: "paired",
		Caption: "Paired differences of test perplexity per byte (arm A − arm B, same seed: same initial draws and data order), " +
			"mean with 95 % Student-t interval, seeds with A above / below B, exact two-sided sign test; 'all' pools every depth. " +
			"Verdict rule: " + experiment.Rule + ". The D₀ = 0 pair isolates the exact symmetry (neg, D, out_proj) ≡ (pos, −D, −out_proj) " +
			"(docs/paper.md §13): there the two arms are the same distribution of models and no difference is expected.",
		Columns: []render.Column{
			{Head: "depth"}, {Head: "A − B"}, {Head: "mean [95 % CI]", TeX: `mean [95\,\% CI]`, Right: true, Num: ciHeads("A − B")},
			{Head: "A > B / A < B", Right: true, Num: []string{"seeds A > B", "seeds A < B"}}, {Head: "sign test p", Right: true}, {Head: "verdict"},
		},
	}
	verdict := map[string]string{}
	for _, v := range params.Verdicts {
		verdict[v.Claim] = v.Outcome
	}
	for _, c := range params.Comparisons {
		v := "—"
		for claim, out := range verdict {
			if strings.HasSuffix(claim, "[depth "+c.Depth+"]") && wt103ClaimOf(c) != "" && strings.HasPrefix(claim, wt103ClaimOf(c)) {
				v = out
			}
		}
		pairs.Rows = append(pairs.Rows, []render.Cell{
			render.C(c.Depth), render.C(c.A + " − " + c.B), ciCell(c.Paired, 3),
			{Text: fmt.Sprintf("%d / %d", c.Paired.Pos, c.Paired.Neg), Num: []float64{float64(c.Paired.Pos), float64(c.Paired.Neg)}}, render.C(render.Fixed(c.Paired.SignP, 3)), render.C(v),
		})
	}
	return pairs
}

// wt103DecisionTable is the paired table of a pre-registered design: one row
// per hypothesis, with the numbers the pre-registered rule decides on.
func wt103DecisionTable(params wt103Params) render.Table {
	unit := params.Decisions[0].Margin.Unit
	caption := fmt.Sprintf("Pre-registered comparisons (%s): paired differences of test perplexity per byte, arm A − arm B with the same "+
		"seed (same initial draws and data order), mean with %g %% Student-t interval, seeds with A above / below B, Holm-adjusted p-values "+
		"of the two-sided t-test and of TOST for equivalence within ±%g %s (Holm within each family), power reached for an effect of ±%g %s "+
		"at the observed SD. Verdict rule: %s. H8 and H9 are claims of this repository, not of the paper: the exact symmetry "+
		"(neg, D, out_proj) ≡ (pos, −D, −out_proj) (docs/paper.md §13) makes the D₀ = 0 arms the same distribution of models.",
		params.Prereg, 100*(1-params.Decisions[0].Alpha), params.Decisions[0].Margin.Value, unit,
		params.Effect.Value, unit, params.Rule)
	ab := make([]string, len(params.Decisions))
	ps := make([]experiment.Paired, len(params.Decisions))
	for i := range params.Decisions {
		c := params.Comparisons[i]
		ab[i], ps[i] = c.A+" − "+c.B, c.Paired
	}
	return decisionTable(caption, params.Decisions, ab, ps, 3)
}

// decisionTable is the table "paired" of a pre-registered design: one row
// per decision ds[i], its comparison named ab[i] with its paired
// differences ps[i] (in the decision's unit, prec decimals).
func decisionTable(caption string, ds []experiment.Decision, ab []string, ps []experiment.Paired, prec int) render.Table {
	t := render.Table{
		Name: "paired", Caption: caption,
		Columns: []render.Column{
			{Head: "hypothesis"}, {Head: "family"}, {Head: "A − B"}, {Head: "claimed"},
			{Head: "mean [95 % CI]", TeX: `mean [95\,\% CI]`, Right: true, Num: ciHeads("A − B")},
			{Head: "A > B / A < B", Right: true, Num: []string{"seeds A > B", "seeds A < B"}},
			{Head: "Holm p (t)", Right: true}, {Head: "Holm p (TOST)", Right: true}, {Head: "power", Right: true}, {Head: "verdict"},
		},
	}
	for i, d := range ds {
		p := ps[i]
		claimed := map[int]string{1: "> 0", -1: "< 0", 0: "= 0 (±m)"}[d.Sign]
		t.Rows = append(t.Rows, []render.Cell{
			render.C(d.ID), render.C(d.Family), render.C(ab[i]), render.C(claimed),
			ciCell(p, prec),
			{Text: fmt.Sprintf("%d / %d", p.Pos, p.Neg), Num: []float64{float64(p.Pos), float64(p.Neg)}},
			render.C(experiment.PValue(d.PAdj)), render.C(experiment.PValue(d.TOSTPAdj)), render.C(render.Fixed(d.Power, 2)), render.C(d.Verdict),
		})
	}
	return t
}
