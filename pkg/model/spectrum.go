package model

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// LayerSpectrum holds the eigenvalues of μ = S_Cᵀ S_B of one layer
// (docs/paper.md §1.1 and §5.1), sorted by decreasing real part.
//
// μ is the (D, D) matrix, D = d_inner, built from the effective x_proj. Its
// rank is at most N = d_state; when N < D, D−N eigenvalues are exactly 0
// (Zeros) and Real and Imag hold the N others (theory.MuEigenvalues, which
// computes them from the (N, N) matrix S_B S_Cᵀ). For the pos/neg/mixed
// parametrizations μ = UᵀΛU is symmetric and the eigenvalues are real; for
// the unconstrained "none" they may be complex.
type LayerSpectrum struct {
	Layer    int       `json:"layer"`
	Real     []float64 `json:"real"`
	Imag     []float64 `json:"imag"`
	Zeros    int       `json:"zeros"`
	Positive int       `json:"positive"` // eigenvalues with real part > 0
	Negative int       `json:"negative"` // eigenvalues with real part < 0
}

// XProjMuEigen returns the eigenvalues of μ = S_Cᵀ S_B and of its symmetric
// part (theory.MuEigenvalues) from an effective x_proj weight xproj of shape
// (dtRank+2N, D), row order [S_Δ; S_B; S_C] as in Mamba. Non-finite weights
// are an error.
//
//	xproj  (dtRank+2N, D) row-major
func XProjMuEigen(xproj []float64, dtRank, n, d int) (theory.MuEigen, error) {
	if dtRank < 0 || n < 1 || d < 1 || len(xproj) != (dtRank+2*n)*d {
		return theory.MuEigen{}, fmt.Errorf("model: spectrum: x_proj has %d elements, want (%d+2·%d)×%d", len(xproj), dtRank, n, d)
	}
	for i, v := range xproj {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return theory.MuEigen{}, fmt.Errorf("model: spectrum: x_proj element %d is %v", i, v)
		}
	}
	e, err := theory.MuEigenvalues(xproj[dtRank*d:(dtRank+n)*d], xproj[(dtRank+n)*d:(dtRank+2*n)*d], n, d)
	if err != nil {
		return theory.MuEigen{}, fmt.Errorf("model: %w", err)
	}
	return e, nil
}

// MuSpectrum computes the spectrum of μ = S_Cᵀ S_B from an effective x_proj
// weight xproj (XProjMuEigen).
//
//	xproj  (dtRank+2N, D) row-major
func MuSpectrum(xproj []float64, dtRank, n, d int) (LayerSpectrum, error) {
	e, err := XProjMuEigen(xproj, dtRank, n, d)
	if err != nil {
		return LayerSpectrum{}, err
	}
	s := LayerSpectrum{Zeros: e.Zeros}
	for _, v := range e.Eigen {
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
