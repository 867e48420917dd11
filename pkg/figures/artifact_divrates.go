package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// divRatesParams are the systems of fig-divergence-rates.
type divRatesParams struct {
	Slow        scalarCase `json:"slow"`     // panel A: one slow-divergence system
	Systems     int        `json:"systems"`  // panel B: random slow systems
	Tokens      int        `json:"tokens"`   // L of every slow system
	ARange      [2]float64 `json:"a_range"`  // a uniform in this range (panel B)
	X0Range     [2]float64 `json:"x0_range"` // x_l(0) uniform in this range, positive
	Fast        scalarCase `json:"fast"`     // panel C: the fast reference system of docs/paper.md §10
	SamplesPerD int        `json:"samples_per_decade"`
}

func defaultDivRatesParams(seed uint64, quick bool) divRatesParams {
	rng := rand.New(rand.NewPCG(seed, seed))
	p := divRatesParams{
		Systems: 40, Tokens: 6, ARange: [2]float64{0.5, 2.5}, X0Range: [2]float64{0.3, 1.5}, SamplesPerD: 20,
		Fast: scalarCase{Name: "fast divergence (docs/paper.md §10)", Mu: 1, SDelta: 1, A: 1, X0: []float64{0.5, -0.3, 0.4}, T: 1e3},
	}
	if quick {
		p.Systems = 8
	}
	p.Slow = scalarCase{Name: "slow divergence", Mu: 1, SDelta: -1, A: 1,
		X0: tokenDraw(rng, p.Tokens, p.X0Range[0], p.X0Range[1], func(int) float64 { return 1 }), T: 1e8}
	return p
}

// slowSystems draws the random slow-divergence systems of panel B from
// their own stream (seed, 1): μ = 1, S_Δ = −1, a and x_l(0) > 0 uniform.
func (p divRatesParams) slowSystems(seed uint64) []scalarCase {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]scalarCase, p.Systems)
	for i := range out {
		a := render.RoundSig(p.ARange[0]+(p.ARange[1]-p.ARange[0])*rng.Float64(), 3)
		out[i] = scalarCase{Name: fmt.Sprintf("slow %d", i), Mu: 1, SDelta: -1, A: a,
			X0: tokenDraw(rng, p.Tokens, p.X0Range[0], p.X0Range[1], func(int) float64 { return 1 }), T: p.Slow.T}
	}
	return out
}

// divRates is what the figure draws.
type divRates struct {
	slow *theory.Trajectory
	// ratio[i][l] = |x_l(T)| / |x_1(T)| and expo[i][l] = d ln|x_l| / d ln ln t
	// on [T/100, T] for random system i.
	ratio, expo [][]float64
	fast        *theory.Trajectory
	tstar       float64
}

func divRatesData(p divRatesParams, seed uint64, step func(done, total int)) (*divRates, error) {
	var d divRates
	var err error
	if d.slow, err = p.Slow.simulate(p.SamplesPerD); err != nil {
		return nil, err
	}
	systems := p.slowSystems(seed)
	for i, c := range systems {
		T := c.T
		tr, err := c.scalar().Simulate(c.X0, T, &theory.SimOptions{Times: []float64{T / 100, T}})
		if err != nil {
			return nil, fmt.Errorf("simulate %s: %w", c.Name, err)
		}
		if tr.BlowUp || len(tr.T) != 2 {
			return nil, fmt.Errorf("%s: slow divergence stopped at t = %v", c.Name, tr.End)
		}
		lnln := math.Log(math.Log(T) / math.Log(T/100))
		r, e := make([]float64, len(c.X0)), make([]float64, len(c.X0))
		for l := range c.X0 {
			r[l] = math.Abs(tr.At(1, l, 0)) / math.Abs(tr.At(1, 0, 0))
			e[l] = math.Log(math.Abs(tr.At(1, l, 0))/math.Abs(tr.At(0, l, 0))) / lnln
		}
		d.ratio, d.expo = append(d.ratio, r), append(d.expo, e)
		step(i+1, len(systems)+1)
	}
	first, err := p.Fast.simulate(p.SamplesPerD)
	if err != nil {
		return nil, err
	}
	if !first.BlowUp {
		return nil, fmt.Errorf("%s: no blow-up before t = %v", p.Fast.Name, p.Fast.T)
	}
	d.tstar = first.BlowUpTime
	if d.fast, err = p.Fast.simulateToBlowUp(d.tstar, p.SamplesPerD); err != nil {
		return nil, err
	}
	step(len(systems)+1, len(systems)+1)
	return &d, nil
}

func divergenceRatesArtifact() Artifact {
	return Artifact{
		ID:       "fig-divergence-rates",
		Kind:     KindFigure,
		Title:    "Tokens diverge at different rates",
		PaperRef: "claim: in the divergent scenarios tokens diverge at different rates and contribute unequally (Theorems B, C)",
		Look:     "the per-token rates: in slow divergence later tokens grow faster, in fast divergence one token sets the blow-up time",
		Notebook: "notebooks/04-divergence.ipynb",
		Scale:    ScaleExactTheory,
		Note:     NoteOwnParameters,
		Seed:     4,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultDivRatesParams(env.Seed, env.Quick)
			d, err := divRatesData(p, env.Seed, env.Step)
			if err != nil {
				return nil, err
			}
			a := d.ratioPanel(p)
			b, expoMin, expoMax := d.prefactorPanel(p)
			c, betas := d.blowUpPanel(p)
			return &Result{
				Params: p,
				Caption: fmt.Sprintf("Slow divergence: every token grows like ln t with the same exponent d ln|x_l|/d ln ln t "+
					"(between %s and %s on [T/100, T] over %d systems, far below the (ln t)^l bound of Theorem B) "+
					"but with a prefactor that depends on the position and on x(0), so the tokens' magnitudes stay unequal. "+
					"Fast divergence (docs/paper.md §10 system): every token diverges at the same T*, with local exponents "+
					"β_l of |x_l| ~ (T* − t)^(−β_l) = %s measured for T* − t ≤ 1e−6·T* (1/3 for x' ≈ μS_Δ·x⁴), "+
					"so a token can look finite at T* while it diverges slowly.",
					render.Fixed(expoMin, 3), render.Fixed(expoMax, 3), p.Systems, betas),
				Figures: []render.Figure{{
					Title:  "Divergent scenarios: tokens grow at different rates",
					Panels: []render.Panel{a, b, c}, PanelWidth: 12, PanelHeight: 9.5,
				}},
			}, nil
		},
	}
}

// ratioPanel is panel A: |x_l(t)| / |x_1(t)| of the one slow system, per
// token.
func (d *divRates) ratioPanel(p divRatesParams) render.Panel {
	a := render.Panel{
		Title: "slow divergence: |x_l(t)| / |x_1(t)|",
		X:     render.Axis{Label: "time t (depth)", Log: true},
		Y:     render.Axis{Label: "|x_l(t)| / |x_1(t)|", Log: true},
	}
	for l := range p.Slow.X0 {
		t, y := absSeries(d.slow, l)
		_, y1 := absSeries(d.slow, 0)
		for i := range y {
			y[i] /= y1[i]
		}
		a.Series = append(a.Series, render.Series{Name: tokenName(l), X: t, Y: y, Color: tokenColor(l)})
	}
	a.LegendLeft = true
	return a
}

// prefactorPanel is panel B: the prefactor |x_l(T)| / |x_1(T)| by position
// over the random slow systems, each point and their geometric mean; it
// also returns the range of the exponents d ln|x_l| / d ln ln t for the
// caption.
func (d *divRates) prefactorPanel(p divRatesParams) (b render.Panel, expoMin, expoMax float64) {
	b = render.Panel{
		Title: fmt.Sprintf("slow divergence, %d random systems: ratio at t = %s", p.Systems, render.Short(p.Slow.T)),
		X:     render.Axis{Label: "token position l", Integer: true, Min: 0.5, Max: float64(p.Tokens) + 0.5},
		Y:     render.Axis{Label: "|x_l(T)| / |x_1(T)|", Log: true},
	}
	var px, py, mx, my []float64
	expoMin, expoMax = math.Inf(1), math.Inf(-1)
	for l := 0; l < p.Tokens; l++ {
		lg := 0.0
		for i := range d.ratio {
			px, py = append(px, float64(l+1)), append(py, d.ratio[i][l])
			lg += math.Log(d.ratio[i][l])
			expoMin, expoMax = math.Min(expoMin, d.expo[i][l]), math.Max(expoMax, d.expo[i][l])
		}
		mx, my = append(mx, float64(l+1)), append(my, math.Exp(lg/float64(len(d.ratio))))
	}
	b.Series = []render.Series{
		{Name: "one system, one token", X: px, Y: py, Style: render.Points, Color: render.ColorGrey},
		{Name: "geometric mean over systems", X: mx, Y: my, Color: 0},
	}
	b.LegendLeft = true
	return b, expoMin, expoMax
}

// blowUpPanel is panel C: |x_l| of the fast system against T* − t near the
// blow-up, with the (3μS_Δ(T* − t))^(−1/3) reference; it also returns the
// tokens' local exponents β_l, formatted for the caption.
func (d *divRates) blowUpPanel(p divRatesParams) (c render.Panel, betas string) {
	c = render.Panel{
		Title: fmt.Sprintf("fast divergence: blow-up at T* = %s", render.Fixed(d.tstar, 6)),
		X:     render.Axis{Label: "T* − t (time runs to the right)", Log: true, Invert: true},
		Y:     render.Axis{Label: "|x_l(t)|", Log: true},
	}
	for l := range p.Fast.X0 {
		tau, y := d.fastSeries(l)
		c.Series = append(c.Series, render.Series{Name: tokenName(l), X: tau, Y: y, Color: tokenColor(l)})
		if l > 0 {
			betas += ", "
		}
		betas += render.Fixed(blowUpExponent(tau, y, d.tstar*1e-6), 3)
	}
	k := 3 * p.Fast.Mu * p.Fast.SDelta
	tau := logspace(d.tstar*1e-9, d.tstar*1e-2, 20)
	ref := make([]float64, len(tau))
	for i, v := range tau {
		ref[i] = math.Pow(k*v, -1.0/3)
	}
	c.Series = append(c.Series, render.Series{Name: "(3μS_Δ(T* − t))^(−1/3)", X: tau, Y: ref, Style: render.Dashed, Color: render.ColorBlack})
	c.LegendLeft = true
	return c, betas
}

// fastSeries returns (T* − t, |x_l(t)|) for the samples before T*.
func (d *divRates) fastSeries(l int) (tau, y []float64) {
	for s, ts := range d.fast.T {
		if ts > 0 && d.tstar-ts > 0 {
			tau, y = append(tau, d.tstar-ts), append(y, math.Abs(d.fast.At(s, l, 0)))
		}
	}
	return tau, y
}

// blowUpExponent is the least-squares slope β of ln y = −β ln τ + c over
// the points with τ ≤ below: the local exponent of y ~ τ^(−β) as τ → 0.
func blowUpExponent(tau, y []float64, below float64) float64 {
	var n, sx, sy, sxx, sxy float64
	for i := range tau {
		if tau[i] > below || !(y[i] > 0) {
			continue
		}
		x, v := math.Log(tau[i]), math.Log(y[i])
		n, sx, sy, sxx, sxy = n+1, sx+x, sy+v, sxx+x*x, sxy+x*v
	}
	if n < 2 {
		return math.NaN()
	}
	return -(n*sxy - sx*sy) / (n*sxx - sx*sx)
}
