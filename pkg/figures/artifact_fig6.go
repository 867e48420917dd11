package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// fig6Params are the settings of the 2-D experiment (docs/paper.md §4). The
// systems themselves are built by theory.NewPlanarSystem (S_C = I,
// S_B = diag(λ), random A and S_Δ from the seed) and recorded per panel.
type fig6Params struct {
	Tokens           int          `json:"tokens"`  // L
	Radius           float64      `json:"radius"`  // x_l(0) uniform in the disk of this radius
	Horizon          float64      `json:"horizon"` // simulated up to this time or the blow-up
	SamplesPerDecade int          `json:"samples_per_decade"`
	View             float64      `json:"view"` // the plane is drawn on [−View, View]²
	Panels           []fig6System `json:"panels"`
}

// fig6System records one panel's system as simulated.
type fig6System struct {
	Signs       string     `json:"signs"`       // eigenvalue signs of S_Cᵀ S_B
	Eigenvalues [2]float64 `json:"eigenvalues"` // of μ = S_Cᵀ S_B
	SB          []float64  `json:"s_b"`         // (N, D) row-major
	SC          []float64  `json:"s_c"`         // (N, D)
	SDelta      []float64  `json:"s_delta"`     // (D, D)
	A           []float64  `json:"a"`           // (D, N)
	X0          []float64  `json:"x0"`          // (L, D)
	BlowUpTime  float64    `json:"blow_up_time,omitempty"`
	End         float64    `json:"end"`
	Grown       int        `json:"grown"`  // tokens with ‖x_l(end)‖ ≥ 2‖x_l(0)‖
	Shrunk      int        `json:"shrunk"` // tokens with ‖x_l(end)‖ ≤ ‖x_l(0)‖/2
	// TokenEnd[l] is how long token l+1 exists: the end of the simulation
	// of tokens 1 … l+1 alone (their first blow-up, or the horizon).
	TokenEnd []float64 `json:"token_end"`
}

// defaultFig6Params are theory.Figure6's, drawn on [−2.5, 2.5]².
func defaultFig6Params() fig6Params {
	c := theory.Figure6(theory.TwoPositive)
	return fig6Params{Tokens: c.Tokens, Radius: c.Radius, Horizon: c.Horizon, SamplesPerDecade: c.SamplesPerDecade, View: 2.5}
}

// fig6NormFloor ends a token's norm curve: below it the integrator's
// absolute tolerance (1e-12) shows as noise.
const fig6NormFloor = 1e-9

// config is the theory.Planar configuration of one panel.
func (p fig6Params) config(signs theory.EigenSigns, seed uint64) theory.PlanarConfig {
	return theory.PlanarConfig{Signs: signs, Seed: seed, Tokens: p.Tokens, Radius: p.Radius,
		Horizon: p.Horizon, SamplesPerDecade: p.SamplesPerDecade}
}

// fig6Case is one panel of Figure 6.
type fig6Case struct {
	signs theory.EigenSigns
	panel string
}

// fig6Cases returns the three panels in the paper's order.
func fig6Cases() []fig6Case {
	return []fig6Case{
		{theory.TwoPositive, "A"},
		{theory.OnePositive, "B"},
		{theory.TwoNegative, "C"},
	}
}

// fig6Data runs theory.Planar for the three sign patterns and, for each,
// every token up to its own existence time (theory.SimulatePrefixes: a
// blow-up of token k ends the full system but not tokens 1 … k−1).
func fig6Data(p *fig6Params, seed uint64) ([]*theory.PlanarRun, [][]*theory.Trajectory, error) {
	var runs []*theory.PlanarRun
	var prefixes [][]*theory.Trajectory
	p.Panels = nil
	for _, c := range fig6Cases() {
		r, err := theory.Planar(p.config(c.signs, seed))
		if err != nil {
			return nil, nil, fmt.Errorf("panel %s: %w", c.panel, err)
		}
		runs = append(runs, r)
		pre, err := r.System.SimulatePrefixes(r.X0, p.Horizon, &theory.SimOptions{SamplesPerDecade: p.SamplesPerDecade})
		if err != nil {
			return nil, nil, fmt.Errorf("panel %s: %w", c.panel, err)
		}
		prefixes = append(prefixes, pre)
		s := r.System
		sys := fig6System{Signs: c.signs.String(), Eigenvalues: c.signs.Eigenvalues(),
			SB: s.SB, SC: s.SC, SDelta: s.SDelta, A: s.A, X0: r.X0,
			End: r.Trajectory.End, Grown: r.Grown, Shrunk: r.Shrunk}
		if r.Trajectory.BlowUp {
			sys.BlowUpTime = r.Trajectory.BlowUpTime
		}
		for _, tr := range pre {
			sys.TokenEnd = append(sys.TokenEnd, tr.End)
		}
		p.Panels = append(p.Panels, sys)
	}
	return runs, prefixes, nil
}

// planeSeries returns token l's path in the plane up to (and including) the
// first point outside the square [−view, view]², so that a blow-up leaves
// the drawing (cut at the frame) instead of stretching it.
func planeSeries(tr *theory.Trajectory, l int, view float64) (x, y []float64) {
	t, a, b := withEnd(tr, l)
	for s := range t {
		x, y = append(x, a[s]), append(y, b[s])
		if math.Max(math.Abs(a[s]), math.Abs(b[s])) > view {
			break // left the square [−view, view]²: the frame cuts this last segment
		}
	}
	return x, y
}

// withEnd returns the samples (t, x_l,1, x_l,2) of token l followed by the
// state at the end of the simulation when it lies after the last sample
// (the last accepted state before a blow-up).
func withEnd(tr *theory.Trajectory, l int) (t, a, b []float64) {
	for s, ts := range tr.T {
		t, a, b = append(t, ts), append(a, tr.At(s, l, 0)), append(b, tr.At(s, l, 1))
	}
	if n := len(tr.T); n == 0 || tr.End > tr.T[n-1] {
		t, a, b = append(t, tr.End), append(a, tr.XEnd[l*tr.D]), append(b, tr.XEnd[l*tr.D+1])
	}
	return t, a, b
}

func fig6Artifact() Artifact {
	return Artifact{
		ID:       "fig6-2d",
		Kind:     KindFigure,
		Title:    "Figure 6: token trajectories in two dimensions",
		PaperRef: "Figure 6 (panels A, B, C): (+,+) and (+,−) eigenvalues of S_Cᵀ S_B diverge, (−,−) converge",
		Look:     "panels (A)–(C): tokens diverging, split, or converging to 0, as the signs of μ's eigenvalues decide",
		Notebook: "notebooks/05-higher-dimensions.ipynb",
		Scale:    ScaleExactTheory + " (empirical in the paper too: nothing is proven for D ≥ 2)",
		Note:     NoteOwnParameters,
		Seed:     theory.Figure6(theory.TwoPositive).Seed,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultFig6Params()
			runs, prefixes, err := fig6Data(&p, env.Seed)
			if err != nil {
				return nil, err
			}
			env.Step(1, 1)
			var planes, norms []render.Panel
			var caption string
			for i, r := range runs {
				plane, norm, note := fig6Panels(p, fig6Cases()[i], r, prefixes[i])
				caption += note
				planes, norms = append(planes, plane), append(norms, norm)
			}
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("%d tokens of one sequence in the plane (D = N = 2, S_C = I, S_B = diag(λ), random A < 0 and S_Δ), one colour per token. "+
					"Token l depends on tokens 1 … l only, so each is integrated up to its own end (the blow-up of tokens 1 … l, or t = %s); norms are drawn down to %s; "+
					"the planes show the square [−%s, %s]², and a token leaving it on its way to blow-up is cut at its edge. %s",
					p.Tokens, render.Short(p.Horizon), render.Short(fig6NormFloor), render.Short(p.View), render.Short(p.View), caption),
				Figures: []render.Figure{{
					Title:  "Token trajectories in two dimensions (paper Figure 6)",
					Panels: append(planes, norms...), Cols: 3, PanelWidth: 12.5, PanelHeight: 9,
				}},
			}, nil
		},
	}
}

// fig6Panels draws one case of Figure 6: the tokens' paths in the plane
// (with their starts and, inside the square, their ends) and their norms
// over time, each token from prefixes (its own prefix simulation, see
// fig6Data) of run r; it also returns the case's sentence of the caption
// (the first blow-up and how many tokens outlive it, or how many shrank
// and grew).
func fig6Panels(p fig6Params, c fig6Case, r *theory.PlanarRun, prefixes []*theory.Trajectory) (plane, norm render.Panel, caption string) {
	tr := r.Trajectory
	ev := c.signs.Eigenvalues()
	plane = render.Panel{EqualAspect: true,
		Title: fmt.Sprintf("(%s) eigenvalues of S_Cᵀ S_B: %s, %s", c.panel, render.Signed(ev[0]), render.Signed(ev[1])),
		X:     render.Axis{Label: "x_{l,1}", Min: -p.View, Max: p.View},
		Y:     render.Axis{Label: "x_{l,2}", Min: -p.View, Max: p.View},
	}
	norm = render.Panel{
		Title: fmt.Sprintf("(%s) ‖x_l(t)‖, each token up to its own end", c.panel),
		X:     render.Axis{Label: "time t (depth)", Log: true},
		Y:     render.Axis{Label: "‖x_l(t)‖", Log: true},
	}
	var sx, sy, ex, ey []float64
	outlive := 0
	for l := 0; l < p.Tokens; l++ {
		// Token l as the prefix x_1 … x_{l+1} evolves alone: it
		// exists until its own blow-up, not the first one.
		own := prefixes[l]
		x, y := planeSeries(own, l, p.View)
		plane.Series = append(plane.Series, render.Series{Name: tokenName(l), X: x, Y: y, Color: tokenColor(l)})
		sx, sy = append(sx, x[0]), append(sy, y[0])
		if k := len(x) - 1; math.Max(math.Abs(x[k]), math.Abs(y[k])) <= p.View {
			ex, ey = append(ex, x[k]), append(ey, y[k])
		}
		t, n := normSeries(own, l)
		norm.Series = append(norm.Series, render.Series{X: t, Y: n, Color: tokenColor(l)})
		if tr.BlowUp && own.End > 1.01*tr.End {
			outlive++
		}
	}
	plane.Series = append(plane.Series, render.Series{Name: "x_l(0)", X: sx, Y: sy, Style: render.Points, Color: render.ColorBlack})
	if len(ex) > 0 {
		plane.Series = append(plane.Series, render.Series{Name: "x_l at its end", X: ex, Y: ey, Style: render.Points, Color: render.ColorGrey})
	}
	plane.LegendOutside = true
	plane.Cut = true // tokens on their way to blow-up leave the square; the caption says so
	if tr.BlowUp {
		norm.Rules = []render.Rule{{Name: fmt.Sprintf("first blow-up T* = %s", render.Fixed(tr.BlowUpTime, 4)), Vertical: true, At: tr.BlowUpTime, Color: render.ColorBlack}}
		caption = fmt.Sprintf("(%s): first blow-up at T* = %s; %d of %d tokens exist past it, as they do not depend on the later tokens. ",
			c.panel, render.Fixed(tr.BlowUpTime, 4), outlive, p.Tokens)
	} else {
		caption = fmt.Sprintf("(%s): no blow-up by t = %s; %d of %d tokens shrank to ≤ half their initial norm and %d grew ≥ 2×. ",
			c.panel, render.Short(tr.End), r.Shrunk, p.Tokens, r.Grown)
	}
	norm.LegendLeft = true
	return plane, norm, caption
}

// normSeries returns (t, ‖x_l(t)‖) of token l for t > 0 (with the state at
// the end, see withEnd), stopping at the first norm below fig6NormFloor.
func normSeries(tr *theory.Trajectory, l int) (t, n []float64) {
	ts, a, b := withEnd(tr, l)
	for s := range ts {
		nrm := math.Hypot(a[s], b[s])
		if nrm < fig6NormFloor {
			break // below the integrator's resolution
		}
		if ts[s] > 0 {
			t, n = append(t, ts[s]), append(n, nrm)
		}
	}
	return t, n
}
