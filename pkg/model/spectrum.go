package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// LayerSpectrum holds the eigenvalues of μ = S_Cᵀ S_B of one layer
// (docs/paper.md §1.1 and §5.1), sorted by decreasing real part.
//
// μ is the (D, D) matrix, D = d_inner, built from the effective x_proj. Its
// rank is at most N = d_state, so D−N eigenvalues are exactly 0; Real and
// Imag hold the N eigenvalues of the (N, N) matrix S_B S_Cᵀ, which are the
// remaining ones (eig(XY) and eig(YX) agree apart from zeros), and Zeros is
// D−N. For the pos/neg/mixed parametrizations μ = UᵀΛU is symmetric and
// the eigenvalues are real; for the unconstrained "none" they may be complex.
type LayerSpectrum struct {
	Layer    int       `json:"layer"`
	Real     []float64 `json:"real"`
	Imag     []float64 `json:"imag"`
	Zeros    int       `json:"zeros"`
	Positive int       `json:"positive"` // eigenvalues with real part > 0
	Negative int       `json:"negative"` // eigenvalues with real part < 0
}

// MuSpectrum computes the spectrum of μ = S_Cᵀ S_B from an effective x_proj
// weight xproj of shape (dtRank+2N, D), row order [S_Δ; S_B; S_C] as in
// Mamba. Non-finite weights are an error.
func MuSpectrum(xproj []float64, dtRank, n, d int) (LayerSpectrum, error) {
	if dtRank < 0 || n < 1 || d < 1 || len(xproj) != (dtRank+2*n)*d {
		return LayerSpectrum{}, fmt.Errorf("model: spectrum: x_proj has %d elements, want (%d+2·%d)×%d", len(xproj), dtRank, n, d)
	}
	for i, v := range xproj {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return LayerSpectrum{}, fmt.Errorf("model: spectrum: x_proj element %d is %v", i, v)
		}
	}
	sb := mat.NewDense(n, d, append([]float64(nil), xproj[dtRank*d:(dtRank+n)*d]...))
	sc := mat.NewDense(n, d, append([]float64(nil), xproj[(dtRank+n)*d:(dtRank+2*n)*d]...))
	var small mat.Dense
	small.Mul(sb, sc.T()) // S_B S_Cᵀ, (N, N)
	var eig mat.Eigen
	if !eig.Factorize(&small, mat.EigenNone) {
		return LayerSpectrum{}, fmt.Errorf("model: spectrum: eigen-decomposition did not converge")
	}
	vals := eig.Values(nil)
	slices.SortFunc(vals, func(a, b complex128) int {
		if c := cmp.Compare(real(b), real(a)); c != 0 {
			return c
		}
		return cmp.Compare(imag(b), imag(a))
	})
	s := LayerSpectrum{Zeros: max(d-n, 0)}
	for _, v := range vals {
		s.Real = append(s.Real, real(v))
		s.Imag = append(s.Imag, imag(v))
		switch {
		case real(v) > 0:
			s.Positive++
		case real(v) < 0:
			s.Negative++
		}
	}
	return s, nil
}

// MuSpectra returns the spectrum of μ = S_Cᵀ S_B for every layer of m,
// from its effective x_proj (D = d_inner, N = d_state; docs/paper.md §5.1).
func (m *LM[T]) MuSpectra() ([]LayerSpectrum, error) {
	cfg := m.Config()
	var out []LayerSpectrum
	for l := 0; l < cfg.NLayer; l++ {
		w, rows, cols, err := m.EffectiveXProj(l)
		if err != nil {
			return nil, fmt.Errorf("model: spectra: %w", err)
		}
		if rows != cfg.DtRank+2*cfg.DState {
			return nil, fmt.Errorf("model: spectra: layer %d x_proj has %d rows, want %d+2·%d", l, rows, cfg.DtRank, cfg.DState)
		}
		x := make([]float64, len(w))
		for i, v := range w {
			x[i] = float64(v)
		}
		s, err := MuSpectrum(x, cfg.DtRank, cfg.DState, cols)
		if err != nil {
			return nil, fmt.Errorf("model: spectra of layer %d: %w", l, err)
		}
		s.Layer = l
		out = append(out, s)
	}
	return out, nil
}
