package experiment

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Paired summarises the per-seed differences d_i = a_i − b_i of two arms
// of an experiment run with the same seeds (same initial draws and data
// order in both arms).
type Paired struct {
	// Diffs are the differences, in seed order.
	Diffs []float64 `json:"diffs"`
	N     int       `json:"n"`
	Mean  float64   `json:"mean"`
	SD    float64   `json:"sd"` // sample standard deviation (n − 1)
	// Lo and Hi bound the 95 % confidence interval of the mean difference,
	// mean ± t_{0.975, n−1}·SD/√n (Student t; NaN when n < 2).
	Lo float64 `json:"ci_lo"`
	Hi float64 `json:"ci_hi"`
	// Pos and Neg count the differences above and below 0; SignP is the
	// exact two-sided sign-test p-value over the Pos+Neg nonzero ones
	// (ties dropped), 2·P(Bin(Pos+Neg, ½) ≤ min(Pos, Neg)), capped at 1.
	Pos   int     `json:"positive"`
	Neg   int     `json:"negative"`
	SignP float64 `json:"sign_p"`
}

// PairedDiff compares a and b seed by seed (a[i] and b[i] from the same
// seed). It is an error when the lengths differ, are 0, or a value is not
// finite.
func PairedDiff(a, b []float64) (Paired, error) {
	if len(a) != len(b) || len(a) == 0 {
		return Paired{}, fmt.Errorf("experiment: paired difference of %d and %d values", len(a), len(b))
	}
	p := Paired{N: len(a), Diffs: make([]float64, len(a))}
	for i := range a {
		d := a[i] - b[i]
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return Paired{}, fmt.Errorf("experiment: paired difference %d is %v (%v − %v)", i, d, a[i], b[i])
		}
		p.Diffs[i] = d
		p.Mean += d
		switch {
		case d > 0:
			p.Pos++
		case d < 0:
			p.Neg++
		}
	}
	n := float64(p.N)
	p.Mean /= n
	p.Lo, p.Hi, p.SD = math.NaN(), math.NaN(), math.NaN()
	if p.N > 1 {
		var ss float64
		for _, d := range p.Diffs {
			ss += (d - p.Mean) * (d - p.Mean)
		}
		p.SD = math.Sqrt(ss / (n - 1))
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
		half := t * p.SD / math.Sqrt(n)
		p.Lo, p.Hi = p.Mean-half, p.Mean+half
	}
	p.SignP = SignTest(p.Pos, p.Neg)
	return p, nil
}

// SignTest is the exact two-sided sign-test p-value for pos positive and
// neg negative differences: 2·Σ_{k ≤ min(pos,neg)} C(m, k)/2^m, m = pos+neg,
// capped at 1 (1 when m = 0).
func SignTest(pos, neg int) float64 {
	m := pos + neg
	if m == 0 {
		return 1
	}
	k := min(pos, neg)
	var tail float64
	for i := 0; i <= k; i++ {
		tail += math.Exp(lchoose(m, i) - float64(m)*math.Ln2)
	}
	return math.Min(1, 2*tail)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// Scaled returns p with every difference multiplied by k > 0 (for example
// 100 to report fractions as percentage points); the counts and the sign
// test do not change.
func (p Paired) Scaled(k float64) Paired {
	q := p
	q.Diffs = make([]float64, len(p.Diffs))
	for i, d := range p.Diffs {
		q.Diffs[i] = k * d
	}
	q.Mean, q.SD, q.Lo, q.Hi = k*p.Mean, k*p.SD, k*p.Lo, k*p.Hi
	return q
}
