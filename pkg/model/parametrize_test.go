package model

import (
	"math"
	"sort"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"gonum.org/v1/gonum/mat"
)

// muEigen returns the eigenvalues (ascending) of μ = S_Cᵀ S_B, asserting symmetry.
func muEigen(t *testing.T, kind string, eff []float64, r, n, d int) []float64 {
	t.Helper()
	mu, err := XProjMu(eff, r, n, d)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < d; i++ {
		for j := 0; j < i; j++ {
			if math.Abs(mu[i*d+j]-mu[j*d+i]) > 1e-12 {
				t.Fatalf("%s: μ[%d,%d] = %v but μ[%d,%d] = %v: not symmetric", kind, i, j, mu[i*d+j], j, i, mu[j*d+i])
			}
		}
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(d, mu), false) {
		t.Fatalf("%s: eigen-decomposition failed", kind)
	}
	ev := es.Values(nil)
	sort.Float64s(ev)
	return ev
}

func TestParametrizeInertia(t *testing.T) {
	const r, n, d = 3, 6, 20
	for _, test := range []struct {
		kind     string
		pos, neg int
	}{
		{kind: ParamPos, pos: n, neg: 0},
		{kind: ParamNeg, pos: 0, neg: n},
		{kind: ParamMixed, pos: n / 2, neg: n - n/2},
	} {
		for seed := uint64(0); seed < 3; seed++ {
			raw := gradcheck.RandVec(gradcheck.NewRNG(500+seed), (r+2*n)*d, 2)
			eff := make([]float64, len(raw))
			if err := ParametrizeXProj(test.kind, r, n, d, raw, eff); err != nil {
				t.Fatal(err)
			}
			// Δ rows unchanged; S_C = U unit upper triangular.
			for i := 0; i < r*d; i++ {
				if eff[i] != raw[i] {
					t.Fatalf("%s: Δ row element %d changed", test.kind, i)
				}
			}
			for k := 0; k < n; k++ {
				for j := 0; j < d; j++ {
					want := 0.0
					switch {
					case j == k:
						want = 1
					case j > k:
						want = raw[(r+k)*d+j]
					}
					if got := eff[(r+n+k)*d+j]; got != want {
						t.Fatalf("%s: S_C[%d,%d] = %v, want %v", test.kind, k, j, got, want)
					}
				}
			}
			ev := muEigen(t, test.kind, eff, r, n, d)
			// Rank N: N eigenvalues away from zero, d−N at zero (relative to the largest).
			scale := math.Max(math.Abs(ev[0]), math.Abs(ev[d-1]))
			var pos, neg, zero int
			for _, e := range ev {
				switch {
				case e > 1e-9*scale:
					pos++
				case e < -1e-9*scale:
					neg++
				default:
					zero++
				}
			}
			if pos != test.pos || neg != test.neg || zero != d-n {
				t.Errorf("%s seed %d: inertia (+%d, −%d, 0×%d), want (+%d, −%d, 0×%d); eigenvalues %v",
					test.kind, seed, pos, neg, zero, test.pos, test.neg, d-n, ev)
			}
		}
	}
}

func TestParametrizePosThreshold(t *testing.T) {
	// λ_n = softplus(d_n) + 0.7 > 0.7, and μ = Uᵀ Λ U ⪰ 0.7 Uᵀ U: every
	// nonzero eigenvalue of μ exceeds 0.7 times the matching one of UᵀU.
	const r, n, d = 2, 4, 9
	raw := gradcheck.RandVec(gradcheck.NewRNG(510), (r+2*n)*d, 3)
	for k := 0; k < n; k++ {
		raw[(r+n+k)*d] = -30 // softplus ≈ 1e-13: λ as close to 0.7 as it gets
	}
	eff := make([]float64, len(raw))
	if err := ParametrizeXProj(ParamPos, r, n, d, raw, eff); err != nil {
		t.Fatal(err)
	}
	for k := 0; k < n; k++ {
		lam := eff[(r+k)*d+k] // S_B[k,k] = λ_k U[k,k] = λ_k
		if !(lam > eigThreshold) {
			t.Errorf("λ_%d = %v, want > 0.7", k, lam)
		}
	}
	ev := muEigen(t, ParamPos, eff, r, n, d)
	// UᵀU eigenvalues: μ with Λ = I.
	ueff := make([]float64, len(eff))
	copy(ueff, eff)
	copy(ueff[r*d:(r+n)*d], eff[(r+n)*d:])
	evU := muEigen(t, "UᵀU", ueff, r, n, d)
	for i := d - n; i < d; i++ {
		if !(ev[i] > eigThreshold*evU[i]*(1-1e-9)) || !(ev[i] > 0) {
			t.Errorf("eigenvalue %d: μ %v, 0.7·(UᵀU) %v", i, ev[i], eigThreshold*evU[i])
		}
	}
}

func TestParametrizeGrad(t *testing.T) {
	const r, n, d = 2, 3, 5
	for _, kind := range []string{ParamNone, ParamPos, ParamNeg, ParamMixed} {
		rng := gradcheck.NewRNG(520)
		raw := gradcheck.RandVec(rng, (r+2*n)*d, 1)
		eff := make([]float64, len(raw))
		probe := gradcheck.RandVec(rng, len(raw), 1)
		f := func() float64 {
			if err := ParametrizeXProj(kind, r, n, d, raw, eff); err != nil {
				t.Fatal(err)
			}
			return gradcheck.Dot(probe, eff)
		}
		g := make([]float64, len(raw))
		parametrizeXProjBackward(kind, r, n, d, raw, probe, g)
		gradcheck.Check(t, "parametrize "+kind, raw, g, nil, f)
	}
}

func TestParametrizeErrors(t *testing.T) {
	raw := make([]float64, 10)
	if err := ParametrizeXProj("psd", 1, 2, 2, raw, raw); err == nil {
		t.Errorf("unknown kind: no error")
	}
	if err := ParametrizeXProj(ParamPos, 1, 2, 3, raw, raw); err == nil {
		t.Errorf("wrong size: no error")
	}
}
