package model

import (
	"cmp"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The N×N shortcut must give the nonzero eigenvalues of the full D×D
// matrix S_Cᵀ S_B, computed here directly.
func TestMuSpectrumMatchesFullMatrix(t *testing.T) {
	for i, test := range []struct{ r, n, d int }{{2, 3, 8}, {1, 4, 12}, {3, 2, 5}} {
		rng := rand.New(rand.NewPCG(uint64(i), 5))
		x := make([]float64, (test.r+2*test.n)*test.d)
		for k := range x {
			x[k] = rng.NormFloat64()
		}
		s, err := MuSpectrum(x, test.r, test.n, test.d)
		if err != nil {
			t.Fatal(err)
		}
		sb := mat.NewDense(test.n, test.d, x[test.r*test.d:(test.r+test.n)*test.d])
		sc := mat.NewDense(test.n, test.d, x[(test.r+test.n)*test.d:])
		var mu mat.Dense
		mu.Mul(sc.T(), sb)
		var eig mat.Eigen
		if !eig.Factorize(&mu, mat.EigenNone) {
			t.Fatal("full eigen failed")
		}
		full := eig.Values(nil)
		slices.SortFunc(full, func(a, b complex128) int { return cmp.Compare(cmplx.Abs(b), cmplx.Abs(a)) })
		if s.Zeros != test.d-test.n || len(s.Real) != test.n {
			t.Fatalf("case %d: %d eigenvalues and %d zeros", i, len(s.Real), s.Zeros)
		}
		// Largest N in modulus are the nonzero ones; match each one.
		for _, want := range full[:test.n] {
			best := math.Inf(1)
			for k := range s.Real {
				best = math.Min(best, cmplx.Abs(complex(s.Real[k], s.Imag[k])-want))
			}
			if best > 1e-9*(1+cmplx.Abs(want)) {
				t.Errorf("case %d: eigenvalue %v of the full matrix not found (closest %g)", i, want, best)
			}
		}
		for _, z := range full[test.n:] {
			if cmplx.Abs(z) > 1e-9 {
				t.Errorf("case %d: full matrix has an extra nonzero eigenvalue %v", i, z)
			}
		}
	}
}

// Through ParametrizeXProj the inertia is the one refinement 1
// promises (docs/paper.md §5.1): pos N positive (all > 0.7), neg N
// negative, mixed N/2 and N/2, all real.
func TestMuSpectrumInertiaOfParametrizations(t *testing.T) {
	const r, n, d = 2, 6, 10
	rng := rand.New(rand.NewPCG(11, 11))
	raw := make([]float64, (r+2*n)*d)
	for k := range raw {
		raw[k] = rng.NormFloat64()
	}
	eff := make([]float64, len(raw))
	for _, test := range []struct {
		kind     string
		pos, neg int
	}{{"pos", n, 0}, {"neg", 0, n}, {"mixed", n / 2, n / 2}} {
		if err := ParametrizeXProj(test.kind, r, n, d, raw, eff); err != nil {
			t.Fatal(err)
		}
		s, err := MuSpectrum(eff, r, n, d)
		if err != nil {
			t.Fatal(err)
		}
		if s.Positive != test.pos || s.Negative != test.neg {
			t.Errorf("%s: inertia (+%d, −%d), want (+%d, −%d): %v", test.kind, s.Positive, s.Negative, test.pos, test.neg, s.Real)
		}
		for k, im := range s.Imag {
			if math.Abs(im) > 1e-9 {
				t.Errorf("%s: eigenvalue %d has imaginary part %v", test.kind, k, im)
			}
		}
	}
	if _, err := MuSpectrum(raw[:5], r, n, d); err == nil {
		t.Error("no error for a short x_proj")
	}
}
