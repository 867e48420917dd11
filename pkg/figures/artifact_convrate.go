package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// convRateParams are the systems of fig-convergence-rate: the reference
// system of docs/paper.md §10 (μ = −1, S_Δ = 1, a = 1, x(0) = (1, −0.8, 0.5, 1.2))
// and the same tokens with other μ < 0.
type convRateParams struct {
	Mus              []float64 `json:"mus"`     // μ of the panel-A curves
	SDelta           float64   `json:"s_delta"` // S_Δ
	A                float64   `json:"a"`
	X0               []float64 `json:"x0"`
	T                float64   `json:"horizon"`
	SamplesPerDecade int       `json:"samples_per_decade"`
}

func defaultConvRateParams() convRateParams {
	return convRateParams{
		Mus: []float64{-0.5, -1, -2}, SDelta: 1, A: 1,
		X0: []float64{1, -0.8, 0.5, 1.2}, T: 1e6, SamplesPerDecade: 20,
	}
}

// sqrtTSeries returns (t, √t·|x_l(t)|) for t > 0.
func sqrtTSeries(tr *theory.Trajectory, l int) (t, y []float64) {
	t, y = absSeries(tr, l)
	for i := range y {
		y[i] *= math.Sqrt(t[i])
	}
	return t, y
}

// convRateData simulates the systems: one trajectory per μ.
func convRateData(p convRateParams) ([]*theory.Trajectory, error) {
	var trs []*theory.Trajectory
	for _, mu := range p.Mus {
		c := scalarCase{Name: fmt.Sprintf("μ = %g", mu), Mu: mu, SDelta: p.SDelta, A: p.A, X0: p.X0, T: p.T}
		tr, err := c.simulate(p.SamplesPerDecade)
		if err != nil {
			return nil, err
		}
		trs = append(trs, tr)
	}
	return trs, nil
}

func convergenceRateArtifact() Artifact {
	return Artifact{
		ID:       "fig-convergence-rate",
		Kind:     KindFigure,
		Title:    "Convergence at rate t^(−1/2): √t·|x_l(t)| approaches its limit",
		PaperRef: "Theorem A: x_l(t) = O(1/√t) when μ < 0 (Table 1, row 1)",
		Look:     "the measured √t·|x_1(t)| settling on the predicted constant: convergence at rate t^(−1/2)",
		Notebook: "notebooks/03-convergence.ipynb",
		Scale:    ScaleExactTheory,
		Note:     NoteOwnParameters,
		Seed:     3,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultConvRateParams()
			trs, err := convRateData(p)
			if err != nil {
				return nil, err
			}
			env.Step(1, 1)
			a := render.Panel{
				Title: "token 1 for several μ < 0",
				X:     render.Axis{Label: "time t (depth)", Log: true},
				Y:     render.Axis{Label: "√t·|x_1(t)|"},
			}
			ref := -1
			for i, mu := range p.Mus {
				s := theory.Scalar{Mu: mu, SDelta: p.SDelta, A: p.A}
				t, y := sqrtTSeries(trs[i], 0)
				a.Series = append(a.Series, render.Series{Name: "μ = " + render.Signed(mu), X: t, Y: y, Color: i})
				a.Rules = append(a.Rules, render.Rule{Name: fmt.Sprintf("(2|μ| ln 2)^(−1/2) = %s", render.Fixed(s.SqrtTLimit(), 4)), At: s.SqrtTLimit(), Color: i})
				if mu == -1 {
					ref = i
				}
			}
			a.LegendBottom = true
			if ref < 0 {
				return nil, fmt.Errorf("parameters lack the reference μ = −1")
			}
			s := theory.Scalar{Mu: -1, SDelta: p.SDelta, A: p.A}
			lim := s.SqrtTLimits(p.X0)
			b := render.Panel{
				Title: "every token, μ = −1",
				X:     render.Axis{Label: "time t (depth)", Log: true},
				Y:     render.Axis{Label: "√t·|x_l(t)|"},
			}
			for l := range p.X0 {
				t, y := sqrtTSeries(trs[ref], l)
				b.Series = append(b.Series, render.Series{Name: tokenName(l), X: t, Y: y, Color: tokenColor(l)})
			}
			b.Rules = []render.Rule{
				{Name: fmt.Sprintf("token 1: (2 ln 2)^(−1/2) = %s", render.Fixed(lim[0], 4)), At: lim[0], Color: render.ColorBlack},
				{Name: fmt.Sprintf("tokens l ≥ 2: √((1 − 2^(−a))/(2 ln 2)) = %s (our derivation)", render.Fixed(lim[1], 4)), At: lim[1], Color: render.ColorGrey},
			}
			b.LegendBottom = true
			last := len(trs[ref].T) - 1
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("√t·|x_1(t)| tends to (2|μ| ln 2)^(−1/2) (Theorem A's O(1/√t) with its constant); "+
					"for μ = −1 it is %s at t = %s against the limit %s. Later tokens approach the constants c_l of theory.SqrtTLimits more slowly.",
					render.Fixed(math.Sqrt(trs[ref].T[last])*math.Abs(trs[ref].At(last, 0, 0)), 5), render.Short(trs[ref].T[last]), render.Fixed(lim[0], 5)),
				Figures: []render.Figure{{
					Title:  "Convergent scenario: the O(1/√t) rate and its constant",
					Panels: []render.Panel{a, b}, PanelWidth: 12, PanelHeight: 9,
				}},
			}, nil
		},
	}
}
