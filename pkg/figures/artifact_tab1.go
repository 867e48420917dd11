package figures

import (
	"context"
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// tab1Params are the settings of the Table 1 sweep (theory.Sweep draws the
// instances: see its documentation for the distributions).
type tab1Params struct {
	PerScenario int     `json:"per_scenario"` // random instances per scenario
	Horizon     float64 `json:"horizon"`      // simulated time (or blow-up)
	Workers     int     `json:"workers"`      // goroutines (results do not depend on it)
	Sampling    string  `json:"sampling"`     // the instance distribution, as documented by theory.Sweep
}

func defaultTab1Params(quick bool) tab1Params {
	p := tab1Params{PerScenario: 10000, Horizon: 1e8, Workers: 2,
		Sampling: "L uniform in [2, 10]; a, |μ|, |S_Δ|, |x_l(0)| log-uniform in [0.5, 5], [0.1, 10], [0.2, 5], [0.1, 2]; signs per scenario"}
	if quick {
		p.PerScenario = 40
	}
	return p
}

// tab1Row is one row of the paper's Table 1.
type tab1Row struct {
	scenario      theory.Scenario
	name          string
	cond, condTeX string
	rate, rateTeX string
	example       theory.Scalar // one system of the scenario, for Classify's behaviour text
	exampleX0     []float64
}

// tab1Paper is the paper's Table 1 as reconstructed in docs/paper.md §3: the
// condition and the rate of each scenario (the behaviour column comes from
// theory.Classify).
func tab1Paper() []tab1Row {
	return []tab1Row{
		{theory.Convergent, "Convergence", "μ = S_Cᵀ S_B < 0", `$\mu = S_C^\top S_B < 0$`,
			"O(1/√t)", `$O(1/\sqrt{t})$`, theory.Scalar{Mu: -1, SDelta: 1, A: 1}, []float64{1}},
		{theory.SlowDivergent, "Slow divergence", "μ > 0, S_Δ·x_l(0) < 0 for all l", `$\mu > 0$, $S_\Delta x_l(0) < 0\ \forall l$`,
			"x_l(t) = O((ln t)^l)", `$x_l(t) = O((\ln t)^l)$`, theory.Scalar{Mu: 1, SDelta: -1, A: 1}, []float64{1}},
		{theory.FastDivergent, "Fast divergence", "μ > 0, S_Δ·x_l(0) > 0 for some l", `$\mu > 0$, $\exists l: S_\Delta x_l(0) > 0$`,
			"finite-time blow-up", "finite-time blow-up", theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{1}},
	}
}

func pct(n, d int) string {
	if d == 0 {
		return "–"
	}
	return render.Fixed(100*float64(n)/float64(d), 2)
}

// tab1Tables turns a sweep into the three tables of tab1-dynamics.
func tab1Tables(res *theory.SweepResult) ([]render.Table, error) {
	main := render.Table{
		Caption: fmt.Sprintf("Table 1: summary of the dynamical properties (1-D, A = −aI), checked by simulating %d random instances per scenario.",
			res.Config.PerScenario),
		Columns: []render.Column{
			{Head: "scenario"}, {Head: "condition (1-D)"}, {Head: "behaviour"}, {Head: "rate (paper)"},
			{Head: "instances", Right: true}, {Head: "agreement %", TeX: `agreement \%`, Right: true},
			{Head: "main rate constant"}, {Head: "prediction"},
			{Head: "mean |rel. err.|", TeX: `mean $|$rel.\ err.$|$`, Right: true}, {Head: "within 5 %", TeX: `within 5\,\%`, Right: true},
		},
	}
	rates := render.Table{
		Name:    "rates",
		Caption: "Every measured rate constant of the Table 1 sweep against its prediction.",
		Columns: []render.Column{{Head: "scenario"}, {Head: "quantity"}, {Head: "prediction"}, {Head: "N", Right: true},
			{Head: "mean |rel. err.|", TeX: `mean $|$rel.\ err.$|$`, Right: true},
			{Head: "max |rel. err.|", TeX: `max $|$rel.\ err.$|$`, Right: true},
			{Head: "within 5 %", TeX: `within 5\,\%`, Right: true}},
	}
	pos := render.Table{
		Name: "by-position",
		Caption: "Per-token measurement by position l: √T·|x_l(T)| (convergence), growth exponent d ln|x_l| / d ln ln t on [T/100, T] " +
			"(slow divergence), blow-up exponent β_l of |x_l| ~ (T* − t)^(−β_l) over the tokens that blow up (fast divergence).",
		Columns: []render.Column{{Head: "scenario"}, {Head: "l", Right: true}, {Head: "N", Right: true},
			{Head: "mean", Right: true}, {Head: "min", Right: true}, {Head: "max", Right: true}},
	}
	paper := tab1Paper()
	if len(res.Scenarios) != len(paper) {
		return nil, fmt.Errorf("sweep returned %d scenarios, want %d", len(res.Scenarios), len(paper))
	}
	for i, row := range paper {
		s := res.Scenarios[i]
		if s.Scenario != row.scenario {
			return nil, fmt.Errorf("sweep scenario %d is %v, want %v", i, s.Scenario, row.scenario)
		}
		cl, err := row.example.Classify(row.exampleX0)
		if err != nil {
			return nil, err
		}
		if cl.Scenario != row.scenario {
			return nil, fmt.Errorf("example of %v classified as %v", row.scenario, cl.Scenario)
		}
		mainRate := []render.Cell{render.C("–"), render.C("–"), render.C("–"), render.C("–")}
		if len(s.Rates) > 0 {
			r := s.Rates[0]
			mainRate = []render.Cell{render.C(r.Name), render.C(r.Prediction), render.C(render.Sci(r.MeanRelErr, 2)), render.C(pct(r.Within5, r.N))}
		}
		main.Rows = append(main.Rows, append([]render.Cell{
			render.C(row.name), render.CT(row.cond, row.condTeX), render.C(cl.Behaviour), render.CT(row.rate, row.rateTeX),
			render.C(fmt.Sprint(s.Count)), render.C(pct(s.Agree, s.Count)),
		}, mainRate...))
		for _, r := range s.Rates {
			rates.Rows = append(rates.Rows, []render.Cell{render.C(row.name), render.C(r.Name), render.C(r.Prediction), render.C(fmt.Sprint(r.N)),
				render.C(render.Sci(r.MeanRelErr, 2)), render.C(render.Sci(r.MaxRelErr, 2)), render.C(pct(r.Within5, r.N))})
		}
		for l, ps := range s.ByPosition {
			if ps.N == 0 {
				continue
			}
			pos.Rows = append(pos.Rows, []render.Cell{render.C(row.name), render.C(fmt.Sprint(l + 1)), render.C(fmt.Sprint(ps.N)),
				render.C(render.Fixed(ps.Mean, 4)), render.C(render.Fixed(ps.Min, 4)), render.C(render.Fixed(ps.Max, 4))})
		}
	}
	return []render.Table{main, rates, pos}, nil
}

func tab1Artifact() Artifact {
	return Artifact{
		ID:       "tab1-dynamics",
		Kind:     KindTable,
		Title:    "Table 1: the three scenarios of the 1-D token dynamics, checked by simulation",
		PaperRef: "Table 1 (\"Summary of the dynamical properties of this work\")",
		Look:     "the agreement and within-5 % columns: each scenario's criterion and rate constant, checked on every simulated instance",
		Notebook: "notebooks/04-divergence.ipynb",
		Scale:    ScaleExactTheory,
		Note:     "the instance distributions are our own choice; the table's cells are reconstructed (docs/paper.md §3, layout UNCONFIRMED)",
		Seed:     2025,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultTab1Params(env.Quick)
			res, err := theory.Sweep(theory.SweepConfig{Seed: env.Seed, PerScenario: p.PerScenario, Workers: p.Workers,
				Horizon: p.Horizon, Progress: env.Step})
			if err != nil {
				return nil, err
			}
			tabs, err := tab1Tables(res)
			if err != nil {
				return nil, err
			}
			agree, total := 0, 0
			for _, s := range res.Scenarios {
				agree, total = agree+s.Agree, total+s.Count
			}
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("The Table 1 criterion predicts the simulated scenario for %d of %d random 1-D instances (%s %%); "+
					"measured rate constants against their predictions in the last columns.", agree, total, pct(agree, total)),
				Tables: tabs,
			}, nil
		},
	}
}
