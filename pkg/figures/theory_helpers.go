package figures

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/figures/render"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// scalarCase is one 1-D system of the theory figures: the parameters of
// theory.Scalar (docs/paper.md §2.2, A = −a I), the initial tokens and the
// horizon of the simulation.
type scalarCase struct {
	Name   string    `json:"name"`
	Mu     float64   `json:"mu"`      // μ = S_Cᵀ S_B
	SDelta float64   `json:"s_delta"` // S_Δ
	A      float64   `json:"a"`       // A = −a I_N
	X0     []float64 `json:"x0"`      // x_l(0), l = 1..L
	T      float64   `json:"horizon"` // simulated up to T or the blow-up
}

func (c scalarCase) scalar() theory.Scalar {
	return theory.Scalar{Mu: c.Mu, SDelta: c.SDelta, A: c.A}
}

// simulate integrates the case with the theory package's default solver
// settings, samplesPerDecade log-spaced samples per decade from 1e-3.
func (c scalarCase) simulate(samplesPerDecade int) (*theory.Trajectory, error) {
	tr, err := c.scalar().Simulate(c.X0, c.T, &theory.SimOptions{SamplesPerDecade: samplesPerDecade})
	if err != nil {
		return nil, fmt.Errorf("simulate %s: %w", c.Name, err)
	}
	return tr, nil
}

// simulateToBlowUp integrates a case whose blow-up time is known to be
// near tstar with samples on a log grid up to tstar/2 and then at
// tstar − τ for τ log-spaced from tstar/2 down to 1e-9·tstar, so that a plot
// shows the blow-up itself (samples after the actual blow-up are dropped).
func (c scalarCase) simulateToBlowUp(tstar float64, samplesPerDecade int) (*theory.Trajectory, error) {
	times := theory.LogGrid(math.Min(1e-3, tstar/10), tstar/2, samplesPerDecade)
	tau := logspace(tstar/2, 1e-9*tstar, 9*samplesPerDecade)
	for _, v := range tau[1:] {
		times = append(times, tstar-v)
	}
	if tstar >= c.T {
		return nil, fmt.Errorf("simulate %s: blow-up at %v beyond the horizon %v", c.Name, tstar, c.T)
	}
	tr, err := c.scalar().Simulate(c.X0, c.T, &theory.SimOptions{Times: times})
	if err != nil {
		return nil, fmt.Errorf("simulate %s: %w", c.Name, err)
	}
	return tr, nil
}

// tokenDraw draws L initial tokens with magnitudes uniform in [lo, hi] and
// signs chosen by sign(l) (+1, −1, or 0 for a random sign).
func tokenDraw(rng *rand.Rand, L int, lo, hi float64, sign func(l int) float64) []float64 {
	x := make([]float64, L)
	for l := range x {
		v := lo + (hi-lo)*rng.Float64()
		s := sign(l)
		if s == 0 {
			s = 1
			if rng.IntN(2) == 0 {
				s = -1
			}
		}
		x[l] = render.RoundSig(s*v, 3) // render.Short, exactly reproducible values in the sidecar
	}
	return x
}

// absSeries returns (t, |x_l(t)|) of a 1-D trajectory for the samples with
// t > 0 (the log-time axes cannot show t = 0).
func absSeries(tr *theory.Trajectory, l int) (t, y []float64) {
	for s, ts := range tr.T {
		if ts <= 0 {
			continue
		}
		t = append(t, ts)
		y = append(y, math.Abs(tr.At(s, l, 0)))
	}
	return t, y
}

// tokenSeries returns (t, x_l(t)) or (t, |x_l(t)|) for every sample,
// t = 0 included.
func tokenSeries(tr *theory.Trajectory, l int, abs bool) (t, y []float64) {
	for s, ts := range tr.T {
		v := tr.At(s, l, 0)
		if abs {
			v = math.Abs(v)
		}
		t = append(t, ts)
		y = append(y, v)
	}
	return t, y
}

// logspace returns n points from a to b (both > 0) evenly spaced in log.
func logspace(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a * math.Pow(b/a, float64(i)/float64(n-1))
	}
	return out
}

// tokenColor is the palette index of token l: ten distinct colours, none
// black or grey (which mark overlays and reference lines).
func tokenColor(l int) int { return render.Distinct(l) }

// tokenName is the legend entry of token l (0-based).
func tokenName(l int) string { return fmt.Sprintf("token %d", l+1) }
