package theory

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Mu returns the input/output projection matrix μ = S_Cᵀ S_B (docs/paper.md
// §1.1), (D, D) row-major, from S_B and S_C, each (N, D) row-major:
// μ_ij = Σ_n S_C[n,i]·S_B[n,j], summed over n in ascending order. It is the
// one place μ is formed: System.Mu, the model's per-layer μ
// (model.XProjMu) and every spectrum below use it.
//
//	sb, sc  (N, D)
//	result  (D, D)
func Mu(sb, sc []float64, n, d int) []float64 {
	mu := make([]float64, d*d)
	for k := 0; k < n; k++ {
		b, c := sb[k*d:(k+1)*d], sc[k*d:(k+1)*d]
		for i, ci := range c {
			if ci == 0 {
				continue
			}
			row := mu[i*d : (i+1)*d]
			for j, bj := range b {
				row[j] += ci * bj
			}
		}
	}
	return mu
}

// MuEigen holds the eigenvalues of μ = S_Cᵀ S_B (D, D) and of its symmetric
// part sym(μ) = (μ + μᵀ)/2, whose quadratic form xᵀ μ x = xᵀ sym(μ) x sets
// the sign of each token's self-interaction (docs/paper.md §1.2).
//
// μ has rank ≤ N. When N < D (every Mamba layer: N = d_state = 16 ≪
// D = d_inner) they are computed from small matrices (the small route):
// Eigen from the (N, N) matrix S_B S_Cᵀ, which shares μ's nonzero
// eigenvalues, with Zeros = D−N further eigenvalues exactly 0; Sym from the
// (2N, 2N) matrix ½ V U with U = [S_Cᵀ S_Bᵀ] (D, 2N), V = [S_B; S_C]
// (2N, D), since U V = 2 sym(μ), keeping the eigenvalues above 1e-12 of the
// largest magnitude (at most min(2N, D)). When D ≤ N (the systems of the
// theory, N = D) the (D, D) matrices are decomposed directly: Eigen and Sym
// hold all D eigenvalues and Zeros is 0.
type MuEigen struct {
	// Eigen are the computed eigenvalues of μ, by decreasing real part
	// (then decreasing imaginary part).
	Eigen []complex128
	// Zeros is the number of further eigenvalues of μ, exactly 0 by rank.
	Zeros int
	// Sym are the computed eigenvalues of sym(μ), descending: all D on the
	// direct route, the nonzero ones on the small route.
	Sym []float64
	// Small reports the small route (N < D).
	Small bool
}

// MuEigenvalues computes the eigenvalues of μ = S_Cᵀ S_B and of sym(μ) (see
// MuEigen for the two routes). Non-finite entries are an error.
//
//	sb, sc  (N, D) row-major
func MuEigenvalues(sb, sc []float64, n, d int) (MuEigen, error) {
	if n < 1 || d < 1 || len(sb) != n*d || len(sc) != n*d {
		return MuEigen{}, fmt.Errorf("theory: μ spectrum: S_B has %d and S_C %d elements, want %d×%d", len(sb), len(sc), n, d)
	}
	for i := range sb {
		if math.IsNaN(sb[i]) || math.IsInf(sb[i], 0) || math.IsNaN(sc[i]) || math.IsInf(sc[i], 0) {
			return MuEigen{}, fmt.Errorf("theory: μ spectrum: S_B or S_C element %d is not finite", i)
		}
	}
	if d <= n {
		return muEigenDirect(sb, sc, n, d)
	}
	return muEigenSmall(sb, sc, n, d)
}

// muEigenDirect decomposes the (D, D) matrices μ and sym(μ).
func muEigenDirect(sb, sc []float64, n, d int) (MuEigen, error) {
	mu := mat.NewDense(d, d, Mu(sb, sc, n, d))
	var eig mat.Eigen
	if !eig.Factorize(mu, mat.EigenNone) {
		return MuEigen{}, fmt.Errorf("theory: eigen-decomposition of S_Cᵀ S_B failed")
	}
	sym := mat.NewSymDense(d, nil)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			sym.SetSym(i, j, 0.5*(mu.At(i, j)+mu.At(j, i)))
		}
	}
	var es mat.EigenSym
	if !es.Factorize(sym, false) {
		return MuEigen{}, fmt.Errorf("theory: eigen-decomposition of the symmetric part of S_Cᵀ S_B failed")
	}
	e := MuEigen{Eigen: sortEigen(eig.Values(nil)), Sym: es.Values(nil)}
	slices.SortFunc(e.Sym, func(a, b float64) int { return cmp.Compare(b, a) })
	return e, nil
}

// muEigenSmall uses the (N, N) and (2N, 2N) matrices of the small route.
func muEigenSmall(sb, sc []float64, n, d int) (MuEigen, error) {
	b := mat.NewDense(n, d, slices.Clone(sb))
	c := mat.NewDense(n, d, slices.Clone(sc))
	var small mat.Dense
	small.Mul(b, c.T()) // S_B S_Cᵀ, (N, N)
	var eig mat.Eigen
	if !eig.Factorize(&small, mat.EigenNone) {
		return MuEigen{}, fmt.Errorf("theory: μ spectrum: eigen-decomposition of S_B S_Cᵀ did not converge")
	}
	e := MuEigen{Eigen: sortEigen(eig.Values(nil)), Zeros: d - n, Small: true}

	v := mat.NewDense(2*n, d, nil)
	v.Slice(0, n, 0, d).(*mat.Dense).Copy(b)
	v.Slice(n, 2*n, 0, d).(*mat.Dense).Copy(c)
	u := mat.NewDense(d, 2*n, nil)
	u.Slice(0, d, 0, n).(*mat.Dense).Copy(c.T())
	u.Slice(0, d, n, 2*n).(*mat.Dense).Copy(b.T())
	var vu mat.Dense
	vu.Mul(v, u)
	vu.Scale(0.5, &vu)
	var es mat.Eigen
	if !es.Factorize(&vu, mat.EigenNone) {
		return MuEigen{}, fmt.Errorf("theory: μ spectrum: eigen-decomposition of the symmetric part did not converge")
	}
	vals := es.Values(nil)
	scale := 0.0
	for _, x := range vals {
		scale = math.Max(scale, math.Abs(real(x)))
	}
	for _, x := range vals {
		if math.Abs(real(x)) > 1e-12*scale {
			e.Sym = append(e.Sym, real(x))
		}
	}
	slices.SortFunc(e.Sym, func(a, b float64) int { return cmp.Compare(b, a) })
	if len(e.Sym) > min(2*n, d) {
		e.Sym = e.Sym[:min(2*n, d)]
	}
	return e, nil
}

// sortEigen orders eigenvalues by decreasing real part, then decreasing
// imaginary part.
func sortEigen(vals []complex128) []complex128 {
	slices.SortFunc(vals, func(a, b complex128) int {
		if c := cmp.Compare(real(b), real(a)); c != 0 {
			return c
		}
		return cmp.Compare(imag(b), imag(a))
	})
	return vals
}

// The criteria a layer's scenario is read by (Scenario).
const (
	Criterion1D       = "1-D (Table 1)"
	CriterionSpectral = "spectral (general D, empirical: symmetric part of mu)"
)

// Scenario classifies a layer from the eigenvalues of its μ, D = d: for
// D = 1 by the proven 1-D criteria of Table 1 (μ < 0 convergent, μ > 0
// divergent, slow or fast by the sign of S_Δ x(0), which the weights alone do
// not fix; μ = 0 degenerate), otherwise by the empirical spectral rule on
// sym(μ) (PredictFromEigenvalues; docs/paper.md §4). It returns the
// criterion used and the scenario's name.
func (e MuEigen) Scenario(d int) (criterion, scenario string) {
	if d == 1 {
		mu := 0.0
		if len(e.Eigen) > 0 {
			mu = real(e.Eigen[0])
		}
		switch {
		case mu < 0:
			return Criterion1D, Convergent.String()
		case mu > 0:
			return Criterion1D, "divergent (slow or fast by the sign of S_Δ x(0))"
		}
		return Criterion1D, Degenerate.String()
	}
	sym := e.Sym
	if !e.Small {
		sym = nonzero(sym)
	}
	return CriterionSpectral, PredictFromEigenvalues(sym).String()
}

// nonzero drops the entries below 1e-12 of the largest magnitude.
func nonzero(v []float64) []float64 {
	scale := 0.0
	for _, x := range v {
		scale = math.Max(scale, math.Abs(x))
	}
	var out []float64
	for _, x := range v {
		if math.Abs(x) > 1e-12*scale {
			out = append(out, x)
		}
	}
	return out
}
