package theory

import (
	"slices"
	"sort"
)

// Prediction is the empirical (not proven) general-D verdict from the
// spectrum of μ = S_Cᵀ S_B (docs/paper.md §4).
type Prediction int

const (
	// PredictUndetermined: the rule does not decide (a zero eigenvalue on
	// the boundary, no positive one).
	PredictUndetermined Prediction = iota
	// PredictConvergent: every token is expected to go to 0.
	PredictConvergent
	// PredictDivergent: the tokens are expected to diverge.
	PredictDivergent
)

func (p Prediction) String() string {
	switch p {
	case PredictConvergent:
		return "convergent"
	case PredictDivergent:
		return "divergent"
	}
	return "undetermined"
}

// Spectrum is the spectral summary of μ = S_Cᵀ S_B (D, D) used by the
// general-D classifier.
type Spectrum struct {
	// Eigen are the eigenvalues of μ (complex in general).
	Eigen []complex128
	// SymEigen are the eigenvalues of the symmetric part (μ + μᵀ)/2,
	// ascending. x ↦ xᵀ μ x = xᵀ sym(μ) x is the quadratic form that sets
	// the sign of each token's self-interaction P^d_ll = Δ_{l,d} x_lᵀ μ x_l
	// (docs/paper.md §1.2).
	SymEigen []float64
	// Prediction by the symmetric part: all SymEigen < 0 ⇒ convergent,
	// any > 0 ⇒ divergent, otherwise undetermined.
	Prediction Prediction
	// PaperRule is the same rule applied to the real parts of Eigen (the
	// paper's "eigenvalues of S_Cᵀ S_B"; identical for symmetric μ).
	PaperRule Prediction
}

// Spectrum computes the spectrum of μ (MuEigenvalues, with μ's zeros by rank
// listed) and the two predictions. This is an
// empirical classifier: only the 1-D case is proven (docs/paper.md §3–§4); the
// 2-D figure (Fig. 6) shows (+,+) and (+,−) diverging and (−,−) converging,
// and Agreement measures how often the rule matches simulation.
func (s *System) Spectrum() (Spectrum, error) {
	if err := s.Validate(); err != nil {
		return Spectrum{}, err
	}
	e, err := MuEigenvalues(s.SB, s.SC, s.N, s.D)
	if err != nil {
		return Spectrum{}, err
	}
	sp := Spectrum{Eigen: append(e.Eigen, make([]complex128, e.Zeros)...)}
	sp.SymEigen = append(slices.Clone(e.Sym), make([]float64, s.D-len(e.Sym))...)
	sort.Float64s(sp.SymEigen)
	sp.Prediction = signRule(sp.SymEigen)
	re := make([]float64, len(sp.Eigen))
	for i, v := range sp.Eigen {
		re[i] = real(v)
	}
	sp.PaperRule = signRule(re)
	return sp, nil
}

// signRule: all negative ⇒ convergent, any positive ⇒ divergent. A tiny
// relative threshold keeps round-off zeros on the boundary.
func signRule(v []float64) Prediction {
	scale := 0.0
	for _, x := range v {
		if a := abs(x); a > scale {
			scale = a
		}
	}
	tol := 1e-12 * scale
	allNeg, anyPos := true, false
	for _, x := range v {
		if x > tol {
			anyPos = true
		}
		if !(x < -tol) {
			allNeg = false
		}
	}
	switch {
	case anyPos:
		return PredictDivergent
	case allNeg && len(v) > 0:
		return PredictConvergent
	}
	return PredictUndetermined
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
