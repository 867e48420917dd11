package experiment

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alternative is the alternative hypothesis of a t-test on the mean μ of
// the paired differences: TwoSided (μ ≠ 0), Greater (μ > 0) or Less (μ < 0).
type Alternative int

// The three alternatives.
const (
	TwoSided Alternative = iota
	Greater
	Less
)

func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Greater:
		return "greater"
	case Less:
		return "less"
	}
	return fmt.Sprintf("Alternative(%d)", int(a))
}

// TTest is the paired (one-sample) Student t-test of the mean μ of the
// differences d_1 … d_n against 0:
//
//	t = mean / (SD/√n),  df = n − 1,  SD the sample SD (divisor n − 1),
//	p = 2·P(T_df ≥ |t|) (TwoSided), P(T_df ≥ t) (Greater), P(T_df ≤ t) (Less).
//
// Lo and Hi bound the (1 − α) confidence interval of μ that matches the
// alternative: mean ± t_{1−α/2,df}·SE (TwoSided), [mean − t_{1−α,df}·SE, +∞)
// (Greater), (−∞, mean + t_{1−α,df}·SE] (Less), SE = SD/√n. When SD = 0 the
// interval is the point mean, and t is ±∞ (p 0 on the mean's side) or, for
// a mean of 0, 0 (p = 1 two-sided, ½ one-sided).
type TTest struct {
	N           int         `json:"n"`
	DF          float64     `json:"df"`
	Mean        float64     `json:"mean"`
	SD          float64     `json:"sd"`
	SE          float64     `json:"se"`
	T           float64     `json:"t"`
	P           float64     `json:"p"`
	Alternative Alternative `json:"alternative"`
	Alpha       float64     `json:"alpha"`
	Lo          float64     `json:"ci_lo"`
	Hi          float64     `json:"ci_hi"`
}

// PairedT runs the paired t-test of d against 0 for alt, with its (1 − α)
// interval. It is an error when d has fewer than 2 values, a value is not
// finite, α is not in (0, 1) or alt is unknown.
func PairedT(d []float64, alt Alternative, alpha float64) (TTest, error) {
	s, err := sampleStats(d)
	if err != nil {
		return TTest{}, fmt.Errorf("experiment: paired t-test: %w", err)
	}
	if !(alpha > 0 && alpha < 1) {
		return TTest{}, fmt.Errorf("experiment: paired t-test: α = %v, want it in (0, 1)", alpha)
	}
	r := TTest{N: s.n, DF: s.df, Mean: s.mean, SD: s.sd, SE: s.se, Alternative: alt, Alpha: alpha}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: s.df}
	r.T = tStat(s.mean, s.se)
	switch alt {
	case TwoSided:
		r.P = math.Min(1, 2*tCDF(st, -math.Abs(r.T)))
		half := st.Quantile(1-alpha/2) * s.se
		r.Lo, r.Hi = s.mean-half, s.mean+half
	case Greater:
		r.P = tCDF(st, -r.T)
		r.Lo, r.Hi = s.mean-st.Quantile(1-alpha)*s.se, math.Inf(1)
	case Less:
		r.P = tCDF(st, r.T)
		r.Lo, r.Hi = math.Inf(-1), s.mean+st.Quantile(1-alpha)*s.se
	default:
		return TTest{}, fmt.Errorf("experiment: paired t-test: unknown alternative %v", alt)
	}
	return r, nil
}

// sample holds the summary statistics every test here starts from.
type sample struct {
	n            int
	df           float64 // n − 1
	mean, sd, se float64 // se = sd/√n
}

func sampleStats(d []float64) (sample, error) {
	if len(d) < 2 {
		return sample{}, fmt.Errorf("%d differences, want at least 2", len(d))
	}
	var s sample
	s.n = len(d)
	n := float64(s.n)
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return sample{}, fmt.Errorf("difference %d is %v", i, v)
		}
		s.mean += v
	}
	s.mean /= n
	var ss float64
	for _, v := range d {
		ss += (v - s.mean) * (v - s.mean)
	}
	s.df = n - 1
	s.sd = math.Sqrt(ss / s.df)
	s.se = s.sd / math.Sqrt(n)
	return s, nil
}

// tStat is num/se with 0/0 read as 0 (no spread and no difference).
func tStat(num, se float64) float64 {
	if se == 0 && num == 0 {
		return 0
	}
	return num / se
}

// tCDF is st.CDF with the infinite arguments taken exactly.
func tCDF(st distuv.StudentsT, x float64) float64 {
	switch {
	case math.IsInf(x, -1):
		return 0
	case math.IsInf(x, 1):
		return 1
	}
	return st.CDF(x)
}
