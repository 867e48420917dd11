package experiment

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// Exact power of the paired tests when the n differences are independent
// N(δ, σ²). Write ν = n − 1, SE = σ/√n, λ = δ/SE (the noncentrality), and
// W = √ν·S/σ for the sample SD S, so that W follows the chi distribution
// with ν degrees of freedom, density
//
//	f_ν(w) = w^{ν−1} e^{−w²/2} / (2^{ν/2−1} Γ(ν/2)),  w > 0,
//
// independent of the sample mean. Given W = w, the t statistic exceeds c
// exactly when the standard normal (mean − δ)/SE exceeds c·w/√ν − λ, so
//
//	P(T > c)  = ∫ Φ(λ − c·w/√ν) f_ν(w) dw,
//	P(T < −c) = ∫ Φ(−λ − c·w/√ν) f_ν(w) dw,
//
// which is the noncentral t distribution with ν degrees of freedom and
// noncentrality λ. TOST rejects when −m + c·S/√n < mean < m − c·S/√n,
// c = t_{1−α,ν}, so its power is
//
//	∫_0^{w*} [Φ(√n(m−δ)/σ − c·w/√ν) − Φ(−√n(m+δ)/σ + c·w/√ν)] f_ν(w) dw,
//	w* = √ν·√n·m/(c·σ).
//
// The integrals are composite Gauss–Legendre over w ∈ [√ν − 10, √ν + 10] ∩
// [0, ∞) (the chi density there is within e^{−40} of its whole mass), in
// panels no wider than ½ and split where an integrand turns, which agrees
// with scipy's noncentral t to ≈ 1e-12 (power_test.go).

// maxPairs bounds the searches of MinPairs.
const maxPairs = 1 << 24

// PowerT is the power of the paired t-test at level α for alt when the
// differences are N(δ, σ²) over n pairs: P(reject) = P(|T| > t_{1−α/2,ν})
// (TwoSided), P(T > t_{1−α,ν}) (Greater) or P(T < −t_{1−α,ν}) (Less), T
// noncentral t with ν = n − 1 and noncentrality δ√n/σ. At δ = 0 it is α.
func PowerT(delta, sigma float64, n int, alpha float64, alt Alternative) (float64, error) {
	if err := powerArgs(delta, sigma, n, alpha); err != nil {
		return 0, fmt.Errorf("experiment: t-test power: %w", err)
	}
	nu := float64(n - 1)
	lambda := delta * math.Sqrt(float64(n)) / sigma
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}
	switch alt {
	case TwoSided:
		c := st.Quantile(1 - alpha/2)
		return upperTail(nu, lambda, c) + upperTail(nu, -lambda, c), nil
	case Greater:
		return upperTail(nu, lambda, st.Quantile(1-alpha)), nil
	case Less:
		return upperTail(nu, -lambda, st.Quantile(1-alpha)), nil
	}
	return 0, fmt.Errorf("experiment: t-test power: unknown alternative %v", alt)
}

// PowerTOST is the power of PairedTOST with margin m at level α when the
// differences are N(δ, σ²) over n pairs: the probability that both
// one-sided tests reject. It is 0 when even S = 0 could not fit the
// interval, and it is largest at δ = 0.
func PowerTOST(delta, sigma float64, n int, alpha, m float64) (float64, error) {
	if err := powerArgs(delta, sigma, n, alpha); err != nil {
		return 0, fmt.Errorf("experiment: TOST power: %w", err)
	}
	if !(m > 0) || math.IsInf(m, 0) {
		return 0, fmt.Errorf("experiment: TOST power: margin %v, want a positive finite number", m)
	}
	if alpha >= 0.5 {
		return 0, fmt.Errorf("experiment: TOST power: α = %v, want it below 0.5", alpha)
	}
	nu := float64(n - 1)
	rn := math.Sqrt(float64(n))
	c := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(1 - alpha)
	a := rn * (m - delta) / sigma
	b := -rn * (m + delta) / sigma
	k := c / math.Sqrt(nu)
	wStar := rn * m / (k * sigma)
	f := func(w float64) float64 {
		return math.Max(0, normCDF(a-k*w)-normCDF(b+k*w))
	}
	return chiExpect(nu, f, wStar, 1/k, a/k, -b/k), nil
}

// MinPairs is the smallest number of pairs n ≥ 2 at which PowerT(δ, σ, n,
// α, alt) reaches power. It is an error when the arguments are out of range
// or when no n up to 2²⁴ reaches it (for instance δ on the side alt does
// not test).
func MinPairs(delta, sigma, alpha, power float64, alt Alternative) (int, error) {
	if !(power > 0 && power < 1) {
		return 0, fmt.Errorf("experiment: MinPairs: power %v, want it in (0, 1)", power)
	}
	pw := func(n int) (float64, error) { return PowerT(delta, sigma, n, alpha, alt) }
	p, err := pw(2)
	if err != nil {
		return 0, fmt.Errorf("experiment: MinPairs: %w", err)
	}
	if p >= power {
		return 2, nil
	}
	lo, hi := 2, 4 // power(lo) < target; find power(hi) ≥ target
	for {
		if p, err = pw(hi); err != nil {
			return 0, fmt.Errorf("experiment: MinPairs: %w", err)
		}
		if p >= power {
			break
		}
		if hi >= maxPairs {
			return 0, fmt.Errorf("experiment: MinPairs: power %.4g at %d pairs for δ = %v, σ = %v, α = %v (%v), short of %v",
				p, hi, delta, sigma, alpha, alt, power)
		}
		lo, hi = hi, min(2*hi, maxPairs)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if p, _ = pw(mid); p >= power {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// MinDetectable is the smallest effect δ > 0 (δ < 0 for Less) that the
// paired t-test at level α for alt detects with the given power over n ≥ 2
// pairs of differences with SD σ: PowerT(δ, σ, n, α, alt) = power, to a
// relative 1e-10. It is an error when power ≤ α (every δ, even 0, does).
func MinDetectable(n int, sigma, alpha, power float64, alt Alternative) (float64, error) {
	if !(power > 0 && power < 1) {
		return 0, fmt.Errorf("experiment: MinDetectable: power %v, want it in (0, 1)", power)
	}
	if err := powerArgs(0, sigma, n, alpha); err != nil {
		return 0, fmt.Errorf("experiment: MinDetectable: %w", err)
	}
	if power <= alpha {
		return 0, fmt.Errorf("experiment: MinDetectable: power %v is not above α = %v", power, alpha)
	}
	sign := 1.0
	if alt == Less {
		sign = -1
	}
	pw := func(d float64) (float64, error) { return PowerT(sign*d, sigma, n, alpha, alt) }
	lo, hi := 0.0, sigma
	for {
		p, err := pw(hi)
		if err != nil {
			return 0, fmt.Errorf("experiment: MinDetectable: %w", err)
		}
		if p >= power {
			break
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1e-10*hi {
		mid := (lo + hi) / 2
		if p, _ := pw(mid); p >= power {
			hi = mid
		} else {
			lo = mid
		}
	}
	return sign * (lo + hi) / 2, nil
}

func powerArgs(delta, sigma float64, n int, alpha float64) error {
	switch {
	case n < 2:
		return fmt.Errorf("%d pairs, want at least 2", n)
	case !(sigma > 0) || math.IsInf(sigma, 0):
		return fmt.Errorf("σ = %v, want a positive finite number", sigma)
	case math.IsNaN(delta) || math.IsInf(delta, 0):
		return fmt.Errorf("δ = %v, want a finite number", delta)
	case !(alpha > 0 && alpha < 1):
		return fmt.Errorf("α = %v, want it in (0, 1)", alpha)
	}
	return nil
}

// upperTail is P(T > c) for T noncentral t with ν degrees of freedom and
// noncentrality λ.
func upperTail(nu, lambda, c float64) float64 {
	k := c / math.Sqrt(nu)
	return chiExpect(nu, func(w float64) float64 { return normCDF(lambda - k*w) }, math.Inf(1), 1/k, lambda/k)
}

// chiExpect is E[f(W)·1{W < upto}] for W chi-distributed with ν degrees of
// freedom, integrating in panels no wider than ½ that also break at each
// of the points at, where f turns over a width of order scale, and at
// ±1, 2, 4, 8 scales from them (with few pairs and a small α the turn is
// much narrower than a panel: ν = 1, α = 0.001 gives scale 1/637).
func chiExpect(nu float64, f func(float64) float64, upto, scale float64, at ...float64) float64 {
	lo := math.Max(0, math.Sqrt(nu)-10)
	hi := math.Min(math.Sqrt(nu)+10, upto)
	if !(hi > lo) {
		return 0
	}
	lg, _ := math.Lgamma(nu / 2)
	logNorm := -(nu/2-1)*math.Ln2 - lg
	g := func(w float64) float64 {
		return f(w) * math.Exp((nu-1)*math.Log(w)-w*w/2+logNorm)
	}
	cuts := []float64{lo}
	for _, x := range at {
		for _, j := range [...]float64{-8, -4, -2, -1, 0, 1, 2, 4, 8} {
			if c := x + j*scale; c > lo && c < hi {
				cuts = append(cuts, c)
			}
		}
	}
	cuts = append(cuts, hi)
	sort.Float64s(cuts)
	var sum float64
	for i := 1; i < len(cuts); i++ {
		a, b := cuts[i-1], cuts[i]
		panels := int(math.Ceil((b - a) / 0.5))
		for j := range panels {
			pa := a + (b-a)*float64(j)/float64(panels)
			pb := a + (b-a)*float64(j+1)/float64(panels)
			sum += quad.Fixed(g, pa, pb, 24, quad.Legendre{}, 0)
		}
	}
	return math.Min(1, math.Max(0, sum))
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
