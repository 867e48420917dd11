package theory_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// explicitRHS is an independent O(L²ND) implementation of the dynamics
// from the closed form of the hidden attention (docs/paper.md §1.2, §2.1):
//
//	dx_{l,d}/dt = Σ_{j≤l} P^d_lj x_{j,d},
//	P^d_lj = Σ_n (S_C x_l)_n exp(A_{d,n} Σ_{k=j+1..l} Δ_{k,d}) (S_B x_j)_n Δ_{j,d}.
//
// It also returns P, (L, L, D).
func explicitRHS(s *theory.System, x []float64) (dx, p []float64) {
	D, N := s.D, s.N
	L := len(x) / D
	delta := make([]float64, L*D)
	bx := make([]float64, L*N)
	cx := make([]float64, L*N)
	for l := 0; l < L; l++ {
		for d := 0; d < D; d++ {
			v := 0.0
			if s.Bias != nil {
				v = s.Bias[d]
			}
			for k := 0; k < D; k++ {
				v += s.SDelta[d*D+k] * x[l*D+k]
			}
			delta[l*D+d] = mamba.Softplus(v)
		}
		for n := 0; n < N; n++ {
			for k := 0; k < D; k++ {
				bx[l*N+n] += s.SB[n*D+k] * x[l*D+k]
				cx[l*N+n] += s.SC[n*D+k] * x[l*D+k]
			}
		}
	}
	p = make([]float64, L*L*D)
	dx = make([]float64, L*D)
	for l := 0; l < L; l++ {
		for j := 0; j <= l; j++ {
			for d := 0; d < D; d++ {
				sum := 0.0
				for k := j + 1; k <= l; k++ {
					sum += delta[k*D+d]
				}
				var v float64
				for n := 0; n < N; n++ {
					v += cx[l*N+n] * math.Exp(s.A[d*N+n]*sum) * bx[j*N+n]
				}
				v *= delta[j*D+d]
				p[(l*L+j)*D+d] = v
				dx[l*D+d] += v * x[j*D+d]
			}
		}
	}
	return dx, p
}

func randomSystem(rng *rand.Rand, D, N int, bias bool) *theory.System {
	s := &theory.System{D: D, N: N, SB: make([]float64, N*D), SC: make([]float64, N*D), SDelta: make([]float64, D*D), A: make([]float64, D*N)}
	for i := range s.SB {
		s.SB[i], s.SC[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	for i := range s.SDelta {
		s.SDelta[i] = rng.NormFloat64()
	}
	for i := range s.A {
		s.A[i] = -(0.1 + 2*rng.Float64())
	}
	if bias {
		s.Bias = make([]float64, D)
		for i := range s.Bias {
			s.Bias[i] = rng.NormFloat64()
		}
	}
	return s
}

func TestFieldMatchesExplicitP(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i, test := range []struct {
		D, N, L int
		bias    bool
	}{
		{1, 1, 1, false}, {1, 4, 6, false}, {2, 2, 5, true}, {3, 4, 7, true}, {4, 2, 10, false},
	} {
		s := randomSystem(rng, test.D, test.N, test.bias)
		f, err := s.NewField(test.L)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, test.L*test.D)
		for k := range x {
			x[k] = rng.NormFloat64()
		}
		got := make([]float64, len(x))
		f.Eval(x, got)
		want, p := explicitRHS(s, x)
		for k := range got {
			if math.Abs(got[k]-want[k]) > 1e-12*(1+math.Abs(want[k])) {
				t.Errorf("case %d: dx[%d,%d] = %.15g, explicit P gives %.15g", i, k/test.D, k%test.D, got[k], want[k])
			}
		}
		// P^d_ll = Δ_{l,d} x_lᵀ μ x_l (docs/paper.md §1.2).
		mu := s.Mu()
		for l := 0; l < test.L; l++ {
			var q float64
			for a := 0; a < test.D; a++ {
				for b := 0; b < test.D; b++ {
					q += x[l*test.D+a] * mu.At(a, b) * x[l*test.D+b]
				}
			}
			for d := 0; d < test.D; d++ {
				v := 0.0
				if s.Bias != nil {
					v = s.Bias[d]
				}
				for k := 0; k < test.D; k++ {
					v += s.SDelta[d*test.D+k] * x[l*test.D+k]
				}
				if pll := p[(l*test.L+l)*test.D+d]; math.Abs(pll-mamba.Softplus(v)*q) > 1e-12*(1+math.Abs(pll)) {
					t.Errorf("case %d: P^%d_%d%d = %v, Δ xᵀμx = %v", i, d, l, l, pll, mamba.Softplus(v)*q)
				}
			}
		}
	}
}

func TestFieldAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := randomSystem(rng, 3, 4, true)
	f, err := s.NewField(6)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 18)
	for k := range x {
		x[k] = rng.NormFloat64()
	}
	dx := make([]float64, 18)
	if n := testing.AllocsPerRun(100, func() { f.Eval(x, dx) }); n != 0 {
		t.Errorf("Field.Eval allocates %v times per call", n)
	}
	sc := theory.Scalar{Mu: 0.7, SDelta: -0.3, A: 1.2}
	if n := testing.AllocsPerRun(100, func() { sc.Eval(x, dx) }); n != 0 {
		t.Errorf("Scalar.Eval allocates %v times per call", n)
	}
}

// The specialised scalar recurrence equals the general S6 right-hand side
// of the same 1-D system.
func TestScalarMatchesField(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 20; i++ {
		s := theory.Scalar{Mu: 4 * (rng.Float64() - 0.5), SDelta: 4 * (rng.Float64() - 0.5), A: 0.1 + 3*rng.Float64()}
		L := 1 + rng.IntN(10)
		f, err := s.System(1 + rng.IntN(5)).NewField(L)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, L)
		for k := range x {
			x[k] = 3 * rng.NormFloat64()
		}
		a, b := make([]float64, L), make([]float64, L)
		s.Eval(x, a)
		f.Eval(x, b)
		for k := range a {
			if math.Abs(a[k]-b[k]) > 1e-12*(1+math.Abs(a[k])) {
				t.Errorf("%+v, x = %v: scalar dx[%d] = %.15g, S6 field %.15g", s, x, k, a[k], b[k])
			}
		}
	}
}

// Structure of the dynamics (docs/paper.md §2.1): x ≡ 0 tokens stay zero and the
// system is triangular (token l ignores tokens after it).
func TestZeroTokensAndTriangularity(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	s := randomSystem(rng, 2, 3, true)
	const L = 5
	f, err := s.NewField(L)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 2*L)
	for k := range x {
		x[k] = rng.NormFloat64()
	}
	x[4], x[5] = 0, 0 // token 3 is zero
	dx := make([]float64, 2*L)
	f.Eval(x, dx)
	if dx[4] != 0 || dx[5] != 0 {
		t.Errorf("zero token has derivative (%v, %v)", dx[4], dx[5])
	}
	// Changing token 4 leaves the derivatives of tokens 1..3 bit for bit.
	y := append([]float64(nil), x...)
	y[6], y[7] = 10, -7
	dy := make([]float64, 2*L)
	f.Eval(y, dy)
	for k := 0; k < 6; k++ {
		if dx[k] != dy[k] {
			t.Errorf("dx[%d] changed from %v to %v when a later token changed", k, dx[k], dy[k])
		}
	}
	// Along a simulation: the zero token stays exactly zero, and token 1
	// follows the same path as when simulated alone.
	for k := range x {
		x[k] *= 0.3
	}
	times := []float64{0.1, 0.5, 1, 2}
	tr, err := s.Simulate(x, 2, &theory.SimOptions{Times: times, RTol: 1e-11, ATol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	alone, err := s.Simulate(x[:2], 2, &theory.SimOptions{Times: times, RTol: 1e-11, ATol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	n := min(len(tr.T), len(alone.T))
	if n < 2 {
		t.Fatalf("no samples (status %v at %v)", tr.Status, tr.End)
	}
	for i := 0; i < n; i++ {
		if tr.At(i, 2, 0) != 0 || tr.At(i, 2, 1) != 0 {
			t.Errorf("zero token became (%v, %v)", tr.At(i, 2, 0), tr.At(i, 2, 1))
		}
		for d := 0; d < 2; d++ {
			if a, b := tr.At(i, 0, d), alone.At(i, 0, d); math.Abs(a-b) > 1e-7*(1+math.Abs(b)) {
				t.Errorf("token 1 at t = %v: %v in the sequence, %v alone", tr.T[i], a, b)
			}
		}
	}
	// The same for the scalar dynamics.
	sc := theory.Scalar{Mu: 1.3, SDelta: -0.7, A: 0.9}
	str, err := sc.Simulate([]float64{0.4, 0, -0.2, 0}, 1e6, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range str.T {
		if str.At(i, 1, 0) != 0 || str.At(i, 3, 0) != 0 {
			t.Fatalf("scalar zero tokens became %v, %v", str.At(i, 1, 0), str.At(i, 3, 0))
		}
	}
}

// In 1-D every token keeps its sign and |x_l| is monotone: non-increasing
// for μ < 0, non-decreasing for μ > 0 (docs/paper.md §2.2).
func TestSignPreservationAndMonotonicity(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for i := 0; i < 40; i++ {
		s := theory.Scalar{Mu: 4 * (rng.Float64() - 0.5), SDelta: 4 * (rng.Float64() - 0.5), A: 0.2 + 3*rng.Float64()}
		x0 := make([]float64, 2+rng.IntN(8))
		for k := range x0 {
			x0[k] = 2 * rng.NormFloat64()
		}
		tr, err := s.Simulate(x0, 1e5, &theory.SimOptions{SamplesPerDecade: 10})
		if err != nil {
			t.Fatal(err)
		}
		for l := range x0 {
			series := tr.Token(l, 0)
			for k := 1; k < len(series); k++ {
				if series[k]*x0[l] <= 0 {
					t.Fatalf("%+v: token %d changed sign at t = %v", s, l+1, tr.T[k])
				}
				a, b := math.Abs(series[k-1]), math.Abs(series[k])
				if (s.Mu < 0 && b > a*(1+1e-9)) || (s.Mu > 0 && b < a*(1-1e-9)) {
					t.Fatalf("%+v: |x_%d| not monotone at t = %v: %v -> %v", s, l+1, tr.T[k], a, b)
				}
			}
		}
	}
}

// With unequal diagonal entries of A only token 1 is governed by μ: here
// μ > 0 but the kernel φ(s) turns negative, and token 2 shrinks.
func TestDiagonalAKernelCanChangeSign(t *testing.T) {
	d := theory.DiagonalScalar{SB: []float64{1, 1}, SC: []float64{2, -1.5}, A: []float64{-5, -0.1}, SDelta: 1}
	if mu := d.Phi(0); !(mu > 0) {
		t.Fatalf("μ = φ(0) = %v, want > 0", mu)
	}
	if v := d.Phi(1); !(v < 0) {
		t.Fatalf("φ(1) = %v, want < 0", v)
	}
	f, err := d.System().NewField(2)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{3, 0.1}
	dx := make([]float64, 2)
	f.Eval(x, dx)
	if !(dx[0] > 0) {
		t.Errorf("token 1: dx = %v, want growth (μ > 0)", dx[0])
	}
	if !(dx[1] < 0) {
		t.Errorf("token 2: dx = %v: with this kernel it shrinks although μ x_2 > 0", dx[1])
	}
	// With equal entries the kernel keeps the sign of μ: growth.
	eq := d
	eq.A = []float64{-1, -1}
	f, _ = eq.System().NewField(2)
	f.Eval(x, dx)
	if !(dx[1] > 0) {
		t.Errorf("equal A: token 2 dx = %v, want > 0", dx[1])
	}
}
