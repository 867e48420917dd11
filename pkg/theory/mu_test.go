package theory

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestMuEigenvaluesBothRoutes: for random S_B, S_C with N < D (the small
// route: (N, N) and (2N, 2N) matrices) and N ≥ D (the direct route), the
// eigenvalues agree with an independent decomposition of the (D, D)
// matrices μ = S_Cᵀ S_B (formed by gonum's Mul, not Mu) and sym(μ), and the
// zeros by rank are counted.
func TestMuEigenvaluesBothRoutes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for trial := 0; trial < 40; trial++ {
		n, d := 1+rng.IntN(4), 1+rng.IntN(8)
		sb, sc := make([]float64, n*d), make([]float64, n*d)
		for i := range sb {
			sb[i], sc[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		e, err := MuEigenvalues(sb, sc, n, d)
		if err != nil {
			t.Fatal(err)
		}
		var mu mat.Dense
		mu.Mul(mat.NewDense(n, d, sc).T(), mat.NewDense(n, d, sb))
		for i, v := range Mu(sb, sc, n, d) {
			if w := mu.RawMatrix().Data[i]; math.Abs(v-w) > 1e-12*(1+math.Abs(w)) {
				t.Fatalf("trial %d: Mu[%d] = %v, gonum %v", trial, i, v, w)
			}
		}
		var eig mat.Eigen
		if !eig.Factorize(&mu, mat.EigenNone) {
			t.Fatal("eigen")
		}
		full := eig.Values(nil)
		sym := mat.NewSymDense(d, nil)
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				sym.SetSym(i, j, 0.5*(mu.At(i, j)+mu.At(j, i)))
			}
		}
		var es mat.EigenSym
		es.Factorize(sym, false)
		fullSym := es.Values(nil)

		if e.Small != (n < d) || len(e.Eigen)+e.Zeros != d {
			t.Fatalf("trial %d (N %d, D %d): small %v, %d eigenvalues + %d zeros", trial, n, d, e.Small, len(e.Eigen), e.Zeros)
		}
		got := append(slices.Clone(e.Eigen), make([]complex128, e.Zeros)...)
		byMag := func(a, b complex128) int {
			return cmp.Or(cmp.Compare(real(a), real(b)), cmp.Compare(imag(a), imag(b)))
		}
		slices.SortFunc(got, byMag)
		slices.SortFunc(full, byMag)
		scale := 1.0
		for _, v := range full {
			scale = math.Max(scale, math.Hypot(real(v), imag(v)))
		}
		for i := range full {
			if math.Hypot(real(got[i]-full[i]), imag(got[i]-full[i])) > 1e-9*scale {
				t.Fatalf("trial %d (N %d, D %d): eigenvalues %v, want %v", trial, n, d, got, full)
			}
		}
		var nz []float64
		for _, v := range fullSym {
			if math.Abs(v) > 1e-9*scale {
				nz = append(nz, v)
			}
		}
		slices.Sort(nz)
		slices.Reverse(nz)
		gs := nonzero(e.Sym)
		if len(gs) != len(nz) {
			t.Fatalf("trial %d (N %d, D %d): sym %v, want the nonzero ones of %v", trial, n, d, e.Sym, fullSym)
		}
		for i := range nz {
			if math.Abs(gs[i]-nz[i]) > 1e-9*scale {
				t.Fatalf("trial %d: sym eigenvalue %d = %v, want %v", trial, i, gs[i], nz[i])
			}
		}
	}
}

// TestMuScenario: the 1-D criteria of Table 1 and the spectral rule.
func TestMuScenario(t *testing.T) {
	for _, tc := range []struct {
		sb, sc  []float64
		n, d    int
		crit, s string
	}{
		{[]float64{1}, []float64{-2}, 1, 1, Criterion1D, Convergent.String()},
		{[]float64{1}, []float64{2}, 1, 1, Criterion1D, "divergent (slow or fast by the sign of S_Δ x(0))"},
		{[]float64{0}, []float64{2}, 1, 1, Criterion1D, Degenerate.String()},
		{[]float64{1, 0, 0, 1}, []float64{-1, 0, 0, -1}, 2, 2, CriterionSpectral, PredictConvergent.String()},
		{[]float64{1, 0, 0, 1}, []float64{1, 0, 0, -1}, 2, 2, CriterionSpectral, PredictDivergent.String()},
		// rank 1 in D = 3 (small route): sym(μ) = −e₁e₁ᵀ, zeros dropped, convergent
		{[]float64{1, 0, 0}, []float64{-1, 0, 0}, 1, 3, CriterionSpectral, PredictConvergent.String()},
	} {
		e, err := MuEigenvalues(tc.sb, tc.sc, tc.n, tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if c, s := e.Scenario(tc.d); c != tc.crit || s != tc.s {
			t.Errorf("S_B %v S_C %v: %q %q, want %q %q", tc.sb, tc.sc, c, s, tc.crit, tc.s)
		}
	}
	if _, err := MuEigenvalues([]float64{math.NaN()}, []float64{1}, 1, 1); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := MuEigenvalues([]float64{1, 2}, []float64{1}, 1, 2); err == nil {
		t.Error("wrong length accepted")
	}
}
