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
// fig-spectra and fig-depth-gap. They share one experiment, lm.Default
// (lm.Quick in quick mode), whose result the runner stored under
// .cache/experiments/ keyed by the configuration, the data and a numerics
// fingerprint: within one Build the first artifact reads it from the Build's
// Experiments source (Stored, or runner.Source from the command) and the
// others share that result (experiments.go).

// wt103Scale is the Scale of the four artifacts.
const wt103Scale = "scaled-down proxy of the paper's ~130M-parameter WikiText-103 run: byte-level Mamba of ~1.5e5 parameters at three depths on GCIDE text"

// wt103Note is the Note of the four artifacts.
const wt103Note = "the paper's WikiText-103 numbers are not available to us (docs/paper.md §6.1: UNCONFIRMED); only the direction of the differences can be compared"

const wt103Notebook = "notebooks/07-refinement-convergent-scenario.ipynb"

// wt103Experiment returns the experiment's result, from the cache when its
// key is unchanged, once per Build (sharedExperiment). What happened is
// printed on the Build's log.
func wt103Experiment(ctx context.Context, env Env) (*lm.Result, error) {
	spec := lm.Default()
	if env.Quick {
		spec = lm.Quick()
	}
	return sharedExperiment(ctx, env, experimentKey(spec.Name, spec), func(log io.Writer) (*lm.Result, error) {
		return env.experimentSource().LM(ctx, spec, env.Step, log)
	})
}

// wt103Build is the Build of an artifact drawn from the experiment's
// result by draw (the result comes from the cache when its key holds).
func wt103Build(draw func(*lm.Result) (*Result, error)) func(context.Context, Env) (*Result, error) {
	return func(ctx context.Context, env Env) (*Result, error) {
		r, err := wt103Experiment(ctx, env)
		if err != nil {
			return nil, err
		}
		return draw(r)
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
	return wt103Params{Spec: r.Spec, CacheKey: r.Key, Numerics: r.Numerics, DataDigest: r.Data, Corpus: r.Corpus,
		SplitBytes: r.Splits, Go: r.Go, WallSeconds: render.RoundSig(r.Seconds, 4), CPUSeconds: render.RoundSig(r.CPUSeconds, 4),
		Summary: r.Summary(), Comparisons: cs, Verdicts: vs, Rule: experiment.Rule}, nil
}

// wt103Setup is one sentence on what was trained.
func wt103Setup(r *lm.Result) string {
	b := r.Spec.Base
	var depths []string
	for _, s := range r.Summary() {
		if s.Arm == r.Spec.Arms[0].Name {
			depths = append(depths, fmt.Sprintf("%s (%d parameters)", s.Depth, s.Params))
		}
	}
	return fmt.Sprintf("byte-level Mamba at depths %s (layers×d_model, d_state %d) trained on GCIDE dictionary text, "+
		"%d updates of %d×%d bytes per run, AdamW with weight decay %g on every parameter, seeds %v shared by every arm "+
		"(identical initial draws and data order)",
		strings.Join(depths, ", "), b.Model.DState, b.Train.Steps, b.Train.Batch*b.Train.Accum, b.Data.SeqLen,
		b.Train.WeightDecay, r.Spec.Seeds)
}

// wt103VerdictLine is the verdict of the paper's claim at each depth and
// pooled, in one sentence.
func wt103VerdictLine(vs []experiment.Verdict) string {
	var parts []string
	for _, v := range vs {
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
		Look:     "the paired table: does the 95 % interval of neg − pos exclude 0 at any depth, and does the D₀ = 0 pair (where the symmetry predicts no gap) contain 0?",
		Title:    "Perplexity with negative, positive and unconstrained S_Cᵀ S_B at three depths, paired by seed (scaled-down proxy of the WikiText-103 table)",
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

func wt103DepthGapArtifact() Artifact {
	return Artifact{
		ID: "fig-depth-gap", Kind: KindFigure,
		Look:     "whether the neg − pos gap grows with depth (the theory reads depth as time) and whether its interval leaves 0",
		Title:    "Test perplexity gap neg − pos against depth, per seed with 95 % CI (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "WikiText-103 table (docs/paper.md §6.1) and depth as time (§2): does the convergent scenario hurt more in deeper stacks?",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: wt103Build(wt103DepthGap),
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
	return &Result{
		Params: params,
		Caption: "Scaled-down proxy of the paper's WikiText-103 table (paper's numbers not available to us), paired by seed; " +
			wt103VerdictLine(params.Verdicts),
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
		for i, pair := range [][2]string{{lm.ArmNeg, lm.ArmPos}, {lm.ArmNegD0, lm.ArmPosD0}} {
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
			"and the paired differences neg − pos and, with D₀ = 0, neg-d0 − pos-d0; " + wt103Setup(r),
		Figures: []render.Figure{{
			Title:  "Validation perplexity per arm and depth (scaled-down proxy, byte-level GCIDE)",
			Panels: append(curves, diffs...), Cols: len(curves),
		}},
	}, nil
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

// wt103DepthGap builds the artifact from the experiment's result.
func wt103DepthGap(r *lm.Result) (*Result, error) {
	params, err := newWT103Params(r)
	if err != nil {
		return nil, err
	}
	p := render.Panel{Title: "paired by seed", X: render.Axis{Label: "number of layers (matched parameter count)", Integer: true},
		Y: render.Axis{Label: "Δ test perplexity per byte"}, Rules: []render.Rule{{At: 0, Color: render.ColorGrey}}}
	for i, pair := range [][2]string{{lm.ArmNeg, lm.ArmPos}, {lm.ArmNegD0, lm.ArmPosD0}} {
		var x, mean, lo, hi []float64
		pts := render.Series{Name: pair[0] + " − " + pair[1] + ", one point per seed", Style: render.Points, Color: i}
		for _, d := range r.Spec.Depths {
			c, err := r.Compare(d.Name(), pair[0], pair[1])
			if err != nil {
				continue
			}
			x = append(x, float64(d.NLayer))
			mean, lo, hi = append(mean, c.Paired.Mean), append(lo, c.Paired.Lo), append(hi, c.Paired.Hi)
			for _, v := range c.Paired.Diffs {
				pts.X, pts.Y = append(pts.X, float64(d.NLayer)), append(pts.Y, v)
			}
		}
		if len(x) == 0 {
			continue
		}
		band := render.Band(pair[0]+" − "+pair[1]+": mean, 95 % CI", x, mean, lo, hi, i)
		p.Series = append(p.Series, append(band, pts)...)
	}
	return &Result{
		Params: params,
		Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): " +
			"test perplexity per byte of neg minus pos with the same seed at each depth (points), their mean (solid) and 95 % " +
			"Student-t interval (dotted), and the same for the D₀ = 0 arms, where the exact symmetry predicts no difference; " +
			wt103VerdictLine(params.Verdicts) + "; " + wt103Setup(r),
		Figures: []render.Figure{{
			Title:  "neg − pos against depth (scaled-down proxy)",
			Panels: []render.Panel{p},
		}},
	}, nil
}
