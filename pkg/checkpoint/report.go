package checkpoint

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// Eigenvalues are complex numbers split into real and imaginary parts.
type Eigenvalues struct {
	Real []float64 `json:"real"`
	Imag []float64 `json:"imag"`
}

// SignStats counts the signs of a vector and gives its range.
type SignStats struct {
	Positive int     `json:"positive"`
	Negative int     `json:"negative"`
	Zero     int     `json:"zero"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
}

// Range is [Min, Max].
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// LayerReport is what the paper's criteria say about one layer.
//
// Positive, Negative and Complex count the N nonzero eigenvalues of
// μ = S_Cᵀ S_B (those of S_B S_Cᵀ) by the sign of their real part and by a
// nonzero imaginary part; Zeros = d_inner − N are the others.
//
// Scenario is the 1-D verdict of Table 1 when d_inner = 1 (Criterion
// "1-D"; with μ > 0 fast or slow divergence depends on the sign of
// S_Δ x(0), unknown without tokens) and otherwise the general-D spectral
// classifier on the symmetric part sym(μ) = (μ + μᵀ)/2 (Criterion
// "spectral", empirical: all eigenvalues < 0 ⇒ convergent, any > 0 ⇒
// divergent); PaperRule is the same rule on the real parts of μ's
// eigenvalues.
//
// Semidefinite is "positive" or "negative" when sym(μ) is semi-definite
// (then every token's self-interaction xᵀ μ x has that sign) and
// "indefinite" otherwise; AlignedChannels is then the number of channels c
// in which the S6 self-interaction Δ_c (xᵀ μ x) u_c has the sign of the skip
// D_c u_c (sign D_c = sign μ), nil when indefinite.
type LayerReport struct {
	Layer           int         `json:"layer"`
	Positive        int         `json:"positive"`
	Negative        int         `json:"negative"`
	Complex         int         `json:"complex"`
	Zeros           int         `json:"zeros"`
	Eigenvalues     Eigenvalues `json:"eigenvalues"`
	SymEigenvalues  []float64   `json:"sym_eigenvalues"`
	Scenario        string      `json:"scenario"`
	Criterion       string      `json:"criterion"`
	PaperRule       string      `json:"paper_rule"`
	Semidefinite    string      `json:"semidefinite"`
	AlignedChannels *int        `json:"aligned_channels"`
	Channels        int         `json:"channels"`
	D               SignStats   `json:"d"`
	Delta           Range       `json:"delta"`
}

// Report computes the layer report of l.
func Report(l *Layer) (LayerReport, error) {
	r, n, d := l.DtRank, l.N, l.DInner
	e, err := model.XProjMuEigen(l.XProj, r, n, d)
	if err != nil {
		return LayerReport{}, fmt.Errorf("checkpoint: layer %d: %w", l.Index, err)
	}
	rep := LayerReport{Layer: l.Index, Zeros: e.Zeros, Channels: d, SymEigenvalues: e.Sym}
	scale := 0.0
	for _, v := range e.Eigen {
		rep.Eigenvalues.Real = append(rep.Eigenvalues.Real, real(v))
		rep.Eigenvalues.Imag = append(rep.Eigenvalues.Imag, imag(v))
		scale = math.Max(scale, math.Hypot(real(v), imag(v)))
		switch {
		case real(v) > 0:
			rep.Positive++
		case real(v) < 0:
			rep.Negative++
		}
	}
	for _, v := range rep.Eigenvalues.Imag {
		if math.Abs(v) > 1e-12*scale {
			rep.Complex++
		}
	}
	rep.PaperRule = theory.PredictFromEigenvalues(rep.Eigenvalues.Real).String()
	rep.Criterion, rep.Scenario = e.Scenario(d)
	sign := semidefinite(rep.SymEigenvalues)
	rep.Semidefinite = map[int]string{1: "positive", -1: "negative", 0: "indefinite"}[sign]
	rep.D = signStats(l.D)
	if sign != 0 {
		k := 0
		for _, v := range l.D {
			if signOf(v) == sign {
				k++
			}
		}
		rep.AlignedChannels = &k
	}
	rep.Delta = Range{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, b := range l.DtBias {
		v := mamba.Softplus(b)
		rep.Delta.Min, rep.Delta.Max = math.Min(rep.Delta.Min, v), math.Max(rep.Delta.Max, v)
	}
	return rep, nil
}

// semidefinite is +1 (−1) when every nonzero eigenvalue of sym(μ) is
// positive (negative), 0 when there are both or none.
func semidefinite(sym []float64) int {
	pos, neg := false, false
	for _, v := range sym {
		pos = pos || v > 0
		neg = neg || v < 0
	}
	switch {
	case pos && !neg:
		return 1
	case neg && !pos:
		return -1
	}
	return 0
}

func signOf(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func signStats(v []float64) SignStats {
	s := SignStats{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, x := range v {
		switch signOf(x) {
		case 1:
			s.Positive++
		case -1:
			s.Negative++
		default:
			s.Zero++
		}
		s.Min, s.Max = math.Min(s.Min, x), math.Max(s.Max, x)
	}
	return s
}

// Symmetry is the caution every report carries, and the labels it leaves
// unchanged.
const Symmetry = "(mu, D, out_proj) -> (-mu, -D, -out_proj) leaves every Mamba block's function unchanged, " +
	"so the inertia of mu (positive/negative counts), the scenario, the paper rule, the semidefinite sign and the signs of D " +
	"are NOT properties of the network; invariant are: complex, zeros, |eigenvalues|, delta, aligned_channels, " +
	"the trajectories (norms) and the measured alignment of sign(x^T mu x) with sign(D)"

// InvariantLabels are the report fields unchanged by the symmetry.
func InvariantLabels() []string {
	return []string{"complex", "zeros", "eigenvalue magnitudes", "delta", "aligned_channels", "channels",
		"trajectories.residual_norm", "trajectories.update_norm", "trajectories.aligned_with_skip"}
}

// NonInvariantLabels are the report fields the symmetry flips.
func NonInvariantLabels() []string {
	return []string{"positive", "negative", "eigenvalues (sign)", "sym_eigenvalues (sign)", "scenario", "paper_rule",
		"semidefinite", "d", "trajectories.self_interaction (sign)"}
}
