package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// phaseParams is the grid of fig-phase: one token (L = 1, x(0) = X0) so that
// the second axis S_Δ·x(0) is exactly the quantity of the criterion.
type phaseParams struct {
	MuRange     [2]float64 `json:"mu_range"`
	SDxRange    [2]float64 `json:"s_delta_x0_range"`
	Cells       int        `json:"cells"` // cells per axis; values at cell centres (never on a boundary)
	X0          float64    `json:"x0"`
	A           float64    `json:"a"`
	Horizon     float64    `json:"horizon"`
	GrowFactor  float64    `json:"grow_factor"`  // slow divergence: |x(T)| ≥ GrowFactor·|x(0)|
	ShrinkRatio float64    `json:"shrink_ratio"` // convergence: |x(T)| ≤ ShrinkRatio·|x(0)|
}

func defaultPhaseParams(quick bool) phaseParams {
	p := phaseParams{MuRange: [2]float64{-2, 2}, SDxRange: [2]float64{-3, 3}, Cells: 40, X0: 1, A: 1,
		Horizon: 1e4, GrowFactor: 1.5, ShrinkRatio: 0.1}
	if quick {
		p.Cells = 12
	}
	return p
}

// outcome labels a simulation without looking at the criterion: a blow-up
// is fast divergence; otherwise growth by GrowFactor is slow divergence and
// shrinkage to ShrinkRatio is convergence; anything else is Unclassified.
func (p phaseParams) outcome(tr *theory.Trajectory) theory.Scenario {
	if tr.BlowUp {
		return theory.FastDivergent
	}
	x0, xT := math.Abs(p.X0), math.Abs(tr.XEnd[0])
	switch {
	case xT >= p.GrowFactor*x0:
		return theory.SlowDivergent
	case xT <= p.ShrinkRatio*x0:
		return theory.Convergent
	}
	return theory.Unclassified
}

// phasePoint is one grid cell: its coordinates, the criterion's scenario
// and the simulated outcome.
type phasePoint struct {
	Mu, SDx              float64
	Predicted, Simulated theory.Scenario
}

func phaseData(p phaseParams, step func(done, total int)) ([]phasePoint, error) {
	var out []phasePoint
	n := p.Cells
	centre := func(r [2]float64, i int) float64 { return r[0] + (r[1]-r[0])*(float64(i)+0.5)/float64(n) }
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			mu, sdx := centre(p.MuRange, i), centre(p.SDxRange, j)
			s := theory.Scalar{Mu: mu, SDelta: sdx / p.X0, A: p.A}
			x0 := []float64{p.X0}
			cl, err := s.Classify(x0)
			if err != nil {
				return nil, err
			}
			tr, err := s.Simulate(x0, p.Horizon, &theory.SimOptions{Times: []float64{p.Horizon}})
			if err != nil {
				return nil, fmt.Errorf("μ = %v, S_Δ x(0) = %v: %w", mu, sdx, err)
			}
			out = append(out, phasePoint{Mu: mu, SDx: sdx, Predicted: cl.Scenario, Simulated: p.outcome(tr)})
		}
		step(i+1, n)
	}
	return out, nil
}

func phaseArtifact() Artifact {
	return Artifact{
		ID:       "fig-phase",
		Kind:     KindFigure,
		Title:    "Scenario map over (μ, S_Δ·x(0)) from simulation",
		PaperRef: "Table 1 criteria: sign of μ = S_Cᵀ S_B and of S_Δ·x_l(0) decide the scenario (Theorems A–C)",
		Look:     "the sign of dx/dt in each region of the (x_1, S_Δ) plane, which fixes the scenario before any simulation",
		Notebook: "notebooks/04-divergence.ipynb",
		Scale:    ScaleExactTheory,
		Note:     NoteOwnParameters,
		Seed:     0, // deterministic grid, nothing random
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultPhaseParams(env.Quick)
			pts, err := phaseData(p, env.Step)
			if err != nil {
				return nil, err
			}
			kinds := []struct {
				sc    theory.Scenario
				name  string
				color int
			}{
				{theory.Convergent, "converges", 0},
				{theory.SlowDivergent, "diverges as t → ∞", 2},
				{theory.FastDivergent, "blows up in finite time", 1},
				{theory.Unclassified, fmt.Sprintf("undecided by t = %s", render.Short(p.Horizon)), render.ColorGrey},
			}
			pn := render.Panel{
				Title: fmt.Sprintf("one token, x(0) = %g, a = %g, t ≤ %s", p.X0, p.A, render.Short(p.Horizon)),
				X:     render.Axis{Label: "μ = S_Cᵀ S_B", Min: p.MuRange[0], Max: p.MuRange[1]},
				Y:     render.Axis{Label: "S_Δ·x(0)", Min: p.SDxRange[0], Max: p.SDxRange[1]},
				Rules: []render.Rule{
					{Name: "criterion: μ = 0, S_Δ·x(0) = 0", Vertical: true, At: 0, Color: render.ColorBlack},
					{At: 0, Color: render.ColorBlack},
				},
			}
			agree := 0
			for _, k := range kinds {
				var x, y []float64
				for _, q := range pts {
					if q.Simulated == k.sc {
						x, y = append(x, q.Mu), append(y, q.SDx)
					}
				}
				if len(x) > 0 {
					pn.Series = append(pn.Series, render.Series{Name: k.name, X: x, Y: y, Style: render.Points, Color: k.color})
				}
			}
			for _, q := range pts {
				if q.Simulated == q.Predicted {
					agree++
				}
			}
			pn.LegendOutside = true
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("Each dot is one simulation of a single token, coloured by what it did; the dashed lines are the "+
					"boundaries of the Table 1 criteria. %d of %d grid points agree with the criterion "+
					"(convergence for μ < 0, slow divergence for μ > 0 and S_Δ·x(0) < 0, blow-up for μ > 0 and S_Δ·x(0) > 0).",
					agree, len(pts)),
				Figures: []render.Figure{{
					Title:  "Which scenario happens: simulation against the criteria of Table 1",
					Panels: []render.Panel{pn}, PanelWidth: 17, PanelHeight: 11,
				}},
			}, nil
		},
	}
}
