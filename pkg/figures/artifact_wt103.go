package figures

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/train"
)

// The three artifacts of the scaled-down WikiText-103 experiment
// (docs/paper.md §6.1, refinement 1 of §5.1): tab-wt103-scaled, fig-training-curves
// and fig-spectra. They share one experiment, pkg/train.ScaledExperiment
// (QuickExperiment in quick mode), whose result is cached under
// .cache/experiments/ keyed by the code, the configuration and the data
// (train.LoadOrRunExperiment): the first artifact built trains the models,
// the others reuse the stored result, and so does the next `make figures`
// while the key is unchanged.

// wt103Scale is the Scale of the three artifacts.
const wt103Scale = "scaled-down proxy of the paper's ~130M-parameter WikiText-103 run: byte-level Mamba of ~1e5 parameters on GCIDE text"

// wt103Note is the Note of the three artifacts.
const wt103Note = "the paper's WikiText-103 numbers are not available to us (docs/paper.md §6.1: UNCONFIRMED); only the ordering of the scenarios can be compared"

const wt103Notebook = "notebooks/07-refinement-convergent-scenario.ipynb"

// wt103Experiment returns the experiment's result, from the cache when its
// key is unchanged. What happened is printed on stderr.
func wt103Experiment(ctx context.Context, env Env) (*train.ExperimentResult, error) {
	spec := train.ScaledExperiment()
	if env.Quick {
		spec = train.QuickExperiment()
	}
	root, err := train.ModuleRoot(".")
	if err != nil {
		return nil, err
	}
	res, _, err := train.LoadOrRunExperiment(ctx, spec, root, env.Step, os.Stderr)
	return res, err
}

// wt103Label names a scenario as the paper's argument does.
func wt103Label(scenario string) string {
	switch scenario {
	case "neg":
		return "negative (convergent)"
	case "mixed":
		return "mixed"
	case "pos":
		return "positive (refinement 1)"
	case "none":
		return "unconstrained"
	}
	return scenario
}

// wt103Structure says what the parametrization makes of S_Cᵀ S_B.
func wt103Structure(scenario string, n int) (text, tex string) {
	switch scenario {
	case "neg":
		return fmt.Sprintf("NSD, %d negative eigenvalues", n), fmt.Sprintf(`NSD, %d negative`, n)
	case "mixed":
		return fmt.Sprintf("%d positive, %d negative", n/2, n-n/2), fmt.Sprintf(`%d positive, %d negative`, n/2, n-n/2)
	case "pos":
		return fmt.Sprintf("PSD, %d positive eigenvalues", n), fmt.Sprintf(`PSD, %d positive`, n)
	}
	return "unconstrained", "unconstrained"
}

// wt103Params is the sidecar's "parameters" of the three artifacts.
type wt103Params struct {
	Spec        train.ExperimentSpec    `json:"experiment"`
	CacheKey    string                  `json:"cache_key"`
	CodeVersion string                  `json:"code_version"`
	DataDigest  string                  `json:"data_digest"`
	Corpus      string                  `json:"corpus"`
	SplitBytes  [3]int                  `json:"split_bytes"`
	Go          string                  `json:"go"`
	WallSeconds float64                 `json:"experiment_wall_seconds"`
	CPUSeconds  float64                 `json:"experiment_cpu_seconds"`
	Summary     []train.ScenarioSummary `json:"summary"`
}

func newWT103Params(r *train.ExperimentResult) wt103Params {
	return wt103Params{Spec: r.Spec, CacheKey: r.Key, CodeVersion: r.Code, DataDigest: r.Data, Corpus: r.Corpus,
		SplitBytes: r.Splits, Go: r.Go, WallSeconds: roundSig(r.Seconds, 4),
		CPUSeconds: roundSig(r.CPUSeconds, 4), Summary: r.Summary()}
}

// wt103Setup is one sentence on what was trained.
func wt103Setup(r *train.ExperimentResult) string {
	b := r.Spec.Base
	sum := r.Summary()
	return fmt.Sprintf("byte-level Mamba (d_model %d, %d layers, d_state %d, %d parameters) trained on GCIDE dictionary text, "+
		"%d updates of %d×%d bytes (%d tokens) per run, seeds %v",
		b.Model.DModel, b.Model.NLayer, b.Model.DState, sum[0].Params, b.Train.Steps, b.Train.Batch*b.Train.Accum, b.Data.SeqLen,
		sum[0].Tokens, r.Spec.Seeds)
}

// wt103Ordering lists the scenarios from the lowest to the highest mean test
// perplexity.
func wt103Ordering(sum []train.ScenarioSummary) string {
	s := slices.Clone(sum)
	slices.SortStableFunc(s, func(a, b train.ScenarioSummary) int {
		switch {
		case a.TestPPL.Mean < b.TestPPL.Mean:
			return -1
		case a.TestPPL.Mean > b.TestPPL.Mean:
			return 1
		}
		return 0
	})
	var names []string
	for _, x := range s {
		names = append(names, x.Scenario)
	}
	return strings.Join(names, " < ")
}

func pm(s train.Stat, prec int) string { return Fixed(s.Mean, prec) + " ± " + Fixed(s.SD, prec) }

func pmTeX(s train.Stat, prec int) string {
	return "$" + Fixed(s.Mean, prec) + " \\pm " + Fixed(s.SD, prec) + "$"
}

func wt103TableArtifact() Artifact {
	return Artifact{
		ID: "tab-wt103-scaled", Kind: KindTable,
		Title:    "Perplexity with negative, mixed, positive and unconstrained S_Cᵀ S_B (scaled-down proxy of the WikiText-103 table)",
		PaperRef: "WikiText-103 table (docs/paper.md §6.1): the convergent scenario (negative eigenvalues) harms performance",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := wt103Experiment(ctx, env)
			if err != nil {
				return nil, err
			}
			sum := r.Summary()
			n := r.Spec.Base.Model.DState
			t := Table{
				Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (the paper's numbers are not available to us): " +
					wt103Setup(r) + ". Perplexity is per byte (exp of the mean NLL per byte), not comparable with per-GPT-2-token perplexity; " +
					"mean ± sample sd over seeds; Δ is the test perplexity minus that of the unconstrained run with the same seed (paired); " +
					fmt.Sprintf("wall time per run with 2 runs sharing 2 cores; the whole experiment took %.0f s of wall time and %.0f s of CPU time.",
						r.Seconds, r.CPUSeconds),
				Columns: []Column{
					{Head: "scenario"}, {Head: "S_Cᵀ S_B", TeX: `$S_C^\top S_B$`},
					{Head: "valid ppl", Right: true}, {Head: "test ppl", Right: true}, {Head: "test bits/byte", Right: true},
					{Head: "Δ test ppl vs unconstrained", TeX: `$\Delta$ test ppl vs unconstrained`, Right: true},
					{Head: "parameters", Right: true}, {Head: "tokens seen", Right: true}, {Head: "wall time (s)", Right: true},
					{Head: "seeds", Right: true},
				},
			}
			for _, s := range sum {
				st, stTeX := wt103Structure(s.Scenario, n)
				t.Rows = append(t.Rows, []Cell{
					C(wt103Label(s.Scenario)), CT(st, stTeX),
					CT(pm(s.ValidPPL, 3), pmTeX(s.ValidPPL, 3)), CT(pm(s.TestPPL, 3), pmTeX(s.TestPPL, 3)),
					CT(pm(s.TestBPB, 4), pmTeX(s.TestBPB, 4)),
					wt103DiffCell(r, s.Scenario),
					C(fmt.Sprint(s.Params)), C(fmt.Sprint(s.Tokens)), C(Fixed(s.Seconds.Mean, 0)), C(fmt.Sprint(s.Runs)),
				})
			}
			return &Result{
				Params: newWT103Params(r),
				Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 table (paper's numbers not available to us); " +
					"mean test perplexity per byte, lowest to highest: " + wt103Ordering(sum),
				Tables: []Table{t},
			}, nil
		},
	}
}

func wt103CurvesArtifact() Artifact {
	return Artifact{
		ID: "fig-training-curves", Kind: KindFigure,
		Title:    "Validation perplexity during training per S_Cᵀ S_B scenario (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "WikiText-103 training curves (docs/paper.md §7, number UNCONFIRMED): the convergent scenario trains worse",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := wt103Experiment(ctx, env)
			if err != nil {
				return nil, err
			}
			full := Panel{Title: "whole run", X: Axis{Label: "update", Integer: true}, Y: Axis{Label: "validation perplexity (per byte)", Log: true}}
			tail := Panel{Title: "second half", X: Axis{Label: "update", Integer: true}, Y: Axis{Label: "validation perplexity (per byte)"}}
			steps := r.Spec.Base.Train.Steps
			for i, c := range r.Curves() {
				x := make([]float64, len(c.Steps))
				for k, s := range c.Steps {
					x[k] = float64(s)
				}
				name := wt103Label(c.Scenario)
				full.Series = append(full.Series, Band(name, x, c.Mean, c.Min, c.Max, i)...)
				k0 := 0
				for k0 < len(c.Steps) && 2*c.Steps[k0] < steps {
					k0++
				}
				if k0 == len(c.Steps) {
					k0 = len(c.Steps) - 1
				}
				tail.Series = append(tail.Series, Band(name, x[k0:], c.Mean[k0:], c.Min[k0:], c.Max[k0:], i)...)
			}
			diff := Panel{Title: "difference from unconstrained, same seed", X: Axis{Label: "update", Integer: true},
				Y: Axis{Label: "Δ validation perplexity"}, Rules: []Rule{{At: 0, Color: ColorGrey}}}
			for i, sc := range r.Spec.Scenarios {
				if sc == "none" {
					continue
				}
				x, mean, lo, hi, ok := wt103PairedDiff(r, sc, "none")
				if !ok {
					continue
				}
				diff.Series = append(diff.Series, Band(wt103Label(sc), x, mean, lo, hi, i)...)
			}
			panels := []Panel{full, tail}
			if len(diff.Series) > 0 {
				panels = append(panels, diff)
			}
			return &Result{
				Params: newWT103Params(r),
				Caption: "Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): " +
					"validation perplexity per byte against the update, mean over seeds (solid) with the min and max over seeds (dotted), " +
					"and its difference from the unconstrained run with the same seed; " + wt103Setup(r),
				Figures: []Figure{{
					Title:  "Validation perplexity per scenario of S_Cᵀ S_B (scaled-down proxy, byte-level GCIDE)",
					Panels: panels, Cols: len(panels),
				}},
			}, nil
		},
	}
}

func wt103SpectraArtifact() Artifact {
	return Artifact{
		ID: "fig-spectra", Kind: KindFigure,
		Title:    "Eigenvalues of S_Cᵀ S_B per layer after training, per scenario (scaled-down proxy of the WikiText-103 run)",
		PaperRef: "refinement 1 (docs/paper.md §5.1): the parametrizations fix the signs of the eigenvalues of S_Cᵀ S_B",
		Notebook: wt103Notebook, Scale: wt103Scale, Note: wt103Note, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := wt103Experiment(ctx, env)
			if err != nil {
				return nil, err
			}
			var panels []Panel
			maxImag := 0.0
			for _, sc := range r.Spec.Scenarios {
				p := Panel{Title: wt103Label(sc), X: Axis{Label: "rank n (largest first)", Integer: true},
					Y:     Axis{Label: "eigenvalue of S_Cᵀ S_B (real part)"},
					Rules: []Rule{{At: 0, Color: ColorGrey}}}
				for l := 0; l < r.Spec.Base.Model.NLayer; l++ {
					s := Series{Name: fmt.Sprintf("layer %d", l), Style: Points, Color: l}
					for _, run := range r.Runs {
						if run.Scenario != sc {
							continue
						}
						sp := run.Spectra[l]
						for k := range sp.Real {
							s.X = append(s.X, float64(k+1))
							s.Y = append(s.Y, sp.Real[k])
							maxImag = math.Max(maxImag, math.Abs(sp.Imag[k]))
						}
					}
					p.Series = append(p.Series, s)
				}
				panels = append(panels, p)
			}
			b := r.Spec.Base
			return &Result{
				Params: newWT103Params(r),
				Caption: fmt.Sprintf("Scaled-down proxy of the paper's ~130M-parameter WikiText-103 run (paper's numbers not available to us): "+
					"the %d nonzero eigenvalues of the %d×%d matrix S_Cᵀ S_B (rank ≤ d_state) of every layer after training, all seeds; "+
					"the other %d are 0; largest imaginary part %s (unconstrained model only); %s",
					b.Model.DState, b.Model.DModel*b.Model.Expand, b.Model.DModel*b.Model.Expand,
					b.Model.DModel*b.Model.Expand-b.Model.DState, Sci(maxImag, 2), wt103Setup(r)),
				Figures: []Figure{{
					Title:  "Eigenvalues of S_Cᵀ S_B after training (scaled-down proxy, byte-level GCIDE)",
					Panels: panels, Cols: 2,
				}},
			}, nil
		},
	}
}

// wt103PairedDiff returns, at every evaluation step, the mean, min and max
// over seeds of (validation perplexity of scenario) − (that of base with the
// same seed). ok is false when base or scenario has no runs.
func wt103PairedDiff(r *train.ExperimentResult, scenario, base string) (x, mean, lo, hi []float64, ok bool) {
	type key struct {
		scenario string
		seed     uint64
	}
	curve := map[key][]train.Point{}
	for _, run := range r.Runs {
		curve[key{run.Scenario, run.Seed}] = run.Curve
	}
	var diffs [][]float64
	for _, seed := range r.Spec.Seeds {
		a, b := curve[key{scenario, seed}], curve[key{base, seed}]
		if len(a) == 0 || len(a) != len(b) {
			continue
		}
		d := make([]float64, len(a))
		for k := range a {
			d[k] = a[k].Valid.Perplexity - b[k].Valid.Perplexity
		}
		diffs = append(diffs, d)
		if x == nil {
			for _, p := range a {
				x = append(x, float64(p.Step))
			}
		}
	}
	if len(diffs) == 0 {
		return nil, nil, nil, nil, false
	}
	for k := range x {
		var xs []float64
		for _, d := range diffs {
			xs = append(xs, d[k])
		}
		st := train.NewStat(xs)
		mean, lo, hi = append(mean, st.Mean), append(lo, st.Min), append(hi, st.Max)
	}
	return x, mean, lo, hi, true
}

// wt103DiffCell is the paired difference of test perplexity from the
// unconstrained run with the same seed, mean ± sd over seeds ("—" for the
// unconstrained row itself or when there is no unconstrained run).
func wt103DiffCell(r *train.ExperimentResult, scenario string) Cell {
	base := map[uint64]float64{}
	for _, run := range r.Runs {
		if run.Scenario == "none" {
			base[run.Seed] = run.Test.Perplexity
		}
	}
	var d []float64
	for _, run := range r.Runs {
		if b, ok := base[run.Seed]; ok && run.Scenario == scenario && scenario != "none" {
			d = append(d, run.Test.Perplexity-b)
		}
	}
	if len(d) == 0 {
		return CT("—", "---")
	}
	st := train.NewStat(d)
	text := wt103Signed(st.Mean, 3) + " ± " + Fixed(st.SD, 3)
	return CT(text, "$"+strings.ReplaceAll(text, "±", `\pm`)+"$")
}

// wt103Signed is Fixed with an explicit + for positive values.
func wt103Signed(v float64, prec int) string {
	s := Fixed(v, prec)
	if v > 0 && s != Fixed(0, prec) {
		s = "+" + s
	}
	return s
}
