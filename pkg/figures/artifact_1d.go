package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// oneDParams are the three systems of fig-1d-scenarios.
type oneDParams struct {
	Cases            []scalarCase `json:"cases"`
	SamplesPerDecade int          `json:"samples_per_decade"`
}

// oneDCases draws one system per Table 1 scenario (docs/paper.md §3), L tokens
// each, |x_l(0)| uniform in [0.3, 1.5]:
//
//	convergence      μ = −1, S_Δ = 1,  random signs
//	slow divergence  μ = 1,  S_Δ = −1, all x_l(0) > 0 (so S_Δ x_l(0) < 0 ∀l)
//	fast divergence  μ = 1,  S_Δ = 1,  random signs, x_1(0) > 0
func oneDCases(seed uint64, L int) []scalarCase {
	rng := rand.New(rand.NewPCG(seed, seed))
	random := func(int) float64 { return 0 }
	positive := func(int) float64 { return 1 }
	firstPositive := func(l int) float64 {
		if l == 0 {
			return 1
		}
		return 0
	}
	return []scalarCase{
		{Name: "convergence", Mu: -1, SDelta: 1, A: 1, X0: tokenDraw(rng, L, 0.3, 1.5, random), T: 1e6},
		{Name: "slow divergence", Mu: 1, SDelta: -1, A: 1, X0: tokenDraw(rng, L, 0.3, 1.5, positive), T: 1e8},
		// The horizon only bounds the search: the simulation stops at T*.
		{Name: "fast divergence", Mu: 1, SDelta: 1, A: 1, X0: tokenDraw(rng, L, 0.3, 1.5, firstPositive), T: 1e3},
	}
}

func defaultOneDParams(seed uint64) oneDParams {
	return oneDParams{Cases: oneDCases(seed, 6), SamplesPerDecade: 20}
}

// oneDPanels simulates the cases and draws |x_l(t)| on log–log axes with the
// theory's overlays: the t^(−1/2) decay (Theorem A) with the token-1
// constant (2|μ| ln 2)^(−1/2), the ln t / |S_Δ| growth (Theorem B, token 1)
// and the simulated blow-up time T* with Theorem C's bound.
func oneDPanels(p oneDParams) ([]render.Panel, []*theory.Trajectory, error) {
	var panels []render.Panel
	var trs []*theory.Trajectory
	for _, c := range p.Cases {
		tr, err := c.simulate(p.SamplesPerDecade)
		if err != nil {
			return nil, nil, err
		}
		if tr.BlowUp {
			// Again, with samples crowding towards T* so that the blow-up
			// itself is drawn.
			if tr, err = c.simulateToBlowUp(tr.BlowUpTime, p.SamplesPerDecade); err != nil {
				return nil, nil, err
			}
		}
		trs = append(trs, tr)
		pn := render.Panel{
			X: render.Axis{Label: "time t (depth)", Log: true},
			Y: render.Axis{Label: "|x_l(t)|", Log: true},
		}
		for l := range c.X0 {
			t, y := absSeries(tr, l)
			pn.Series = append(pn.Series, render.Series{Name: tokenName(l), X: t, Y: y, Color: tokenColor(l)})
		}
		s := c.scalar()
		switch {
		case s.Mu < 0:
			k := s.SqrtTLimit()
			t := logspace(1, c.T, 25)
			y := make([]float64, len(t))
			for i, ti := range t {
				y[i] = k / math.Sqrt(ti)
			}
			pn.Title = fmt.Sprintf("convergence: μ = %s < 0 (Theorem A)", render.Signed(c.Mu))
			pn.Series = append(pn.Series, render.Series{Name: "(2|μ| ln 2)^(−1/2) · t^(−1/2)", X: t, Y: y, Style: render.Dashed, Color: render.ColorBlack})
			pn.LegendLeft, pn.LegendBottom = true, true
		case !tr.BlowUp:
			t := logspace(math.E, c.T, 25)
			y := make([]float64, len(t))
			for i, ti := range t {
				y[i] = math.Log(ti) / math.Abs(s.SDelta)
			}
			pn.Title = fmt.Sprintf("slow divergence: μ = %s, S_Δ·x_l(0) < 0 for all l (Theorem B)", render.Signed(c.Mu))
			pn.Series = append(pn.Series, render.Series{Name: "ln t / |S_Δ|", X: t, Y: y, Style: render.Dashed, Color: render.ColorBlack})
			pn.LegendLeft = true
		default:
			b := s.Bounds(c.X0)
			pn.X.Log = false
			for i := range pn.Series { // linear time: t = 0 belongs on the axis
				pn.Series[i].X, pn.Series[i].Y = tokenSeries(tr, i, true)
			}
			pn.Title = fmt.Sprintf("fast divergence: μ = %s, S_Δ·x_1(0) > 0 (Theorem C)", render.Signed(c.Mu))
			pn.Rules = []render.Rule{
				{Name: fmt.Sprintf("T* = %s (simulated): token %d blows up", render.Fixed(tr.BlowUpTime, 4), blowingToken(tr)+1), Vertical: true, At: tr.BlowUpTime, Color: render.ColorBlack},
				{Name: fmt.Sprintf("bound 1/(3μ|S_Δ||x_l(0)|³) = %s", render.Fixed(b.Paper, 3)), Vertical: true, At: b.Paper, Color: render.ColorGrey},
			}
			pn.LegendLeft = true
		}
		panels = append(panels, pn)
	}
	return panels, trs, nil
}

func oneDScenariosArtifact() Artifact {
	return Artifact{
		ID:       "fig-1d-scenarios",
		Kind:     KindFigure,
		Title:    "The three 1-D scenarios: |x_l(t)| for six tokens",
		PaperRef: "1-D scenario figure (number UNCONFIRMED); Theorems A–C, Table 1",
		Look:     "the three rows of Table 1 side by side: |x_l| falling like t^(−1/2), growing like powers of ln t, and blowing up at the marked T*",
		Notebook: "notebooks/04-divergence.ipynb",
		Scale:    ScaleExactTheory,
		Note:     NoteOwnParameters,
		Seed:     1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultOneDParams(env.Seed)
			panels, trs, err := oneDPanels(p)
			if err != nil {
				return nil, err
			}
			env.Step(1, 1)
			fast := trs[2]
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("|x_l(t)| of the 1-D dynamics (A = −I) for six tokens per scenario: decay like t^(−1/2) (μ < 0), "+
					"growth like ln t (μ > 0, S_Δ·x_l(0) < 0 for all l), blow-up at T* = %s (μ > 0, some S_Δ·x_l(0) > 0). %s",
					render.Fixed(fast.BlowUpTime, 4), blowUpWhy(fast)),
				Figures: []render.Figure{{
					Title:  "Token dynamics in one dimension: the three scenarios of Table 1",
					Panels: panels, PanelWidth: 12, PanelHeight: 9.5,
				}},
			}, nil
		},
	}
}

// blowingToken is the token (0-based) that blows up at the end of tr: the
// one that grew most, relative to its start, by the last accepted state.
func blowingToken(tr *theory.Trajectory) int {
	best, k := -1.0, 0
	for l := 0; l < tr.L; l++ {
		r := math.Abs(tr.XEnd[l*tr.D]) / math.Max(math.Abs(tr.X[l*tr.D]), 1e-300)
		if r > best {
			best, k = r, l
		}
	}
	return k
}

// blowUpWhy says, for the fast panel, which token blows up and why the
// earlier ones are finite at T*.
func blowUpWhy(tr *theory.Trajectory) string {
	k := blowingToken(tr)
	if k == 0 {
		return "Token 1 blows up at T*."
	}
	return fmt.Sprintf("Token %d blows up at T*; tokens 1 … %d stay finite there because x_l depends on x_1 … x_l only "+
		"(causal dynamics): token %d's blow-up does not reach them.", k+1, k, k+1)
}
