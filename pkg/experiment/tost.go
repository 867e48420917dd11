package experiment

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TOST is the paired two one-sided tests (Schuirmann) for equivalence of
// the mean μ of the differences to 0 within the margin ±m:
//
//	H0: μ ≤ −m or μ ≥ +m   against   H1: −m < μ < +m,
//	TLower = (mean + m)/SE, PLower = P(T_df ≥ TLower)  (tests μ ≤ −m),
//	TUpper = (mean − m)/SE, PUpper = P(T_df ≤ TUpper)  (tests μ ≥ +m),
//	P = max(PLower, PUpper),  df = n − 1, SE = SD/√n.
//
// P < α exactly when the (1 − 2α) interval [Lo, Hi] = mean ∓ t_{1−α,df}·SE
// lies inside (−m, +m). P ≥ ½ whenever |mean| ≥ m.
type TOST struct {
	N      int     `json:"n"`
	DF     float64 `json:"df"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	SE     float64 `json:"se"`
	Margin float64 `json:"margin"`
	TLower float64 `json:"t_lower"`
	TUpper float64 `json:"t_upper"`
	PLower float64 `json:"p_lower"`
	PUpper float64 `json:"p_upper"`
	P      float64 `json:"p"`
	Alpha  float64 `json:"alpha"`
	Lo     float64 `json:"ci_lo"` // (1 − 2α) interval
	Hi     float64 `json:"ci_hi"`
}

// PairedTOST runs the two one-sided tests on d for the margin m > 0 at
// level α ∈ (0, ½). It is an error when d has fewer than 2 values, a value
// is not finite, m is not a positive finite number or α is out of range.
func PairedTOST(d []float64, m, alpha float64) (TOST, error) {
	s, err := sampleStats(d)
	if err != nil {
		return TOST{}, fmt.Errorf("experiment: TOST: %w", err)
	}
	if !(m > 0) || math.IsInf(m, 0) {
		return TOST{}, fmt.Errorf("experiment: TOST: margin %v, want a positive finite number", m)
	}
	if !(alpha > 0 && alpha < 0.5) {
		return TOST{}, fmt.Errorf("experiment: TOST: α = %v, want it in (0, 0.5)", alpha)
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: s.df}
	r := TOST{N: s.n, DF: s.df, Mean: s.mean, SD: s.sd, SE: s.se, Margin: m, Alpha: alpha}
	r.TLower = tStat(s.mean+m, s.se)
	r.TUpper = tStat(s.mean-m, s.se)
	r.PLower = tCDF(st, -r.TLower)
	r.PUpper = tCDF(st, r.TUpper)
	r.P = math.Max(r.PLower, r.PUpper)
	half := st.Quantile(1-alpha) * s.se
	r.Lo, r.Hi = s.mean-half, s.mean+half
	return r, nil
}
