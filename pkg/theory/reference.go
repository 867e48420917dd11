package theory

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// The output of testdata/rk4_reference.py, an independent standard-library
// Python implementation (fixed-step RK4 and Simpson's rule) of the 1-D
// dynamics with A = -a·I (docs/paper.md §10). Not from the paper.
//
//go:embed testdata/rk4_reference.json
var referenceJSON []byte

// Reference holds the regression targets of the three 1-D reference systems
// (docs/paper.md §10). Values have 10 significant digits; MaxChangeOnHalving
// is the largest change of any value when the script's step is halved.
type Reference struct {
	Convergence    ReferenceConvergence `json:"convergence"`
	SlowDivergence ReferenceSlow        `json:"slow_divergence"`
	FastDivergence ReferenceFast        `json:"fast_divergence"`
}

// ReferenceSystem is a scalar system and its initial tokens, X0 (L).
type ReferenceSystem struct {
	Mu                 float64   `json:"mu"`
	SDelta             float64   `json:"s_delta"`
	A                  float64   `json:"a"`
	X0                 []float64 `json:"x0"`
	Method             string    `json:"method"`
	MaxChangeOnHalving float64   `json:"max_change_on_halving"`
}

// Scalar returns the system as a Scalar.
func (r ReferenceSystem) Scalar() Scalar { return Scalar{Mu: r.Mu, SDelta: r.SDelta, A: r.A} }

// ReferenceConvergence is the convergent system (μ < 0): SqrtTX[i][l] =
// √t·x_l(t) at t = T[i], shape (len(T), L), and (2|μ| ln 2)^{-1/2}.
type ReferenceConvergence struct {
	ReferenceSystem
	T            []float64   `json:"t"`
	SqrtTX       [][]float64 `json:"sqrt_t_x"`
	SqrtTX1Limit float64     `json:"sqrt_t_x1_limit"`
}

// ReferenceSlow is the slow-divergent system (μ > 0, S_Δ x_l(0) < 0):
// X[i][l] = x_l(t) at t = T[i], shape (len(T), L), and x_1/ln t (len(T)).
type ReferenceSlow struct {
	ReferenceSystem
	T         []float64   `json:"t"`
	X         [][]float64 `json:"x"`
	X1OverLnT []float64   `json:"x1_over_ln_t"`
}

// ReferenceFast is the fast-divergent system: the system's blow-up time T*,
// the single-token time ∫_{x_1(0)}^∞ dx/(μ x³ softplus(S_Δ x)) and the bound
// 1/(3 μ |S_Δ| |x_1(0)|³).
type ReferenceFast struct {
	ReferenceSystem
	BlowUpTime            float64 `json:"blowup_time"`
	SingleTokenBlowUpTime float64 `json:"single_token_blowup_time"`
	BlowUpTimeBound       float64 `json:"blowup_time_bound"`
}

// RK4Reference returns the reference values committed in
// testdata/rk4_reference.json. Each call returns a fresh copy.
func RK4Reference() (*Reference, error) {
	var r Reference
	if err := json.Unmarshal(referenceJSON, &r); err != nil {
		return nil, fmt.Errorf("theory: reading the RK4 reference values: %w", err)
	}
	for _, c := range []struct {
		name string
		t    []float64
		rows [][]float64
		l    int
	}{
		{"convergence", r.Convergence.T, r.Convergence.SqrtTX, len(r.Convergence.X0)},
		{"slow divergence", r.SlowDivergence.T, r.SlowDivergence.X, len(r.SlowDivergence.X0)},
	} {
		if len(c.rows) != len(c.t) || c.l == 0 {
			return nil, fmt.Errorf("theory: RK4 reference %s: %d rows for %d times, %d tokens", c.name, len(c.rows), len(c.t), c.l)
		}
		for i, row := range c.rows {
			if len(row) != c.l {
				return nil, fmt.Errorf("theory: RK4 reference %s: row %d has %d values, want %d", c.name, i, len(row), c.l)
			}
		}
	}
	if len(r.SlowDivergence.X1OverLnT) != len(r.SlowDivergence.T) || len(r.FastDivergence.X0) == 0 {
		return nil, fmt.Errorf("theory: RK4 reference: incomplete slow or fast divergence entry")
	}
	return &r, nil
}
