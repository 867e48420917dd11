package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// The bridge hands the theory the same μ = S_Cᵀ S_B as XProjMu, and the
// theory's spectral classifier sees the inertia each parametrization
// promises (docs/paper.md §5.1): pos and mixed have a positive eigenvalue, hence
// "divergent"; neg is only negative SEMI-definite (N < D leaves D−N zero
// eigenvalues), which the rule leaves undetermined.
func TestXProjSystemCarriesMu(t *testing.T) {
	const r, n, d = 2, 4, 8
	rng := gradcheck.NewRNG(21)
	raw := gradcheck.RandVec(rng, (r+2*n)*d, 1)
	sDelta := gradcheck.RandVec(rng, d*d, 0.3)
	a := make([]float64, d*n)
	for i := range a {
		a[i] = -float64(i%n + 1)
	}
	for _, test := range []struct {
		kind string
		want theory.Prediction
	}{{ParamPos, theory.PredictDivergent}, {ParamNeg, theory.PredictUndetermined}, {ParamMixed, theory.PredictDivergent}} {
		eff := make([]float64, len(raw))
		if err := ParametrizeXProj(test.kind, r, n, d, raw, eff); err != nil {
			t.Fatal(err)
		}
		sys, err := XProjSystem(eff, r, n, d, sDelta, a)
		if err != nil {
			t.Fatal(err)
		}
		mu, err := XProjMu(eff, r, n, d)
		if err != nil {
			t.Fatal(err)
		}
		got := sys.Mu()
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				if diff := math.Abs(got.At(i, j) - mu[i*d+j]); diff > 1e-12 {
					t.Fatalf("%s: μ[%d,%d] = %v, XProjMu %v", test.kind, i, j, got.At(i, j), mu[i*d+j])
				}
			}
		}
		sp, err := sys.Spectrum()
		if err != nil {
			t.Fatal(err)
		}
		if sp.Prediction != test.want {
			t.Errorf("%s: spectral prediction %v, want %v", test.kind, sp.Prediction, test.want)
		}
		eff[r*d] += 1 // the system copied the weight
		if sys.SB[0] == eff[r*d] {
			t.Errorf("%s: the system aliases the weight", test.kind)
		}
	}
	if _, err := XProjSystem(make([]float64, 5), r, n, d, sDelta, a); err == nil {
		t.Error("a weight of the wrong size was accepted")
	}
}
