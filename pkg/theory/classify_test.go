package theory_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/ode"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

func TestClassify(t *testing.T) {
	for i, test := range []struct {
		s         theory.Scalar
		x0        []float64
		want      theory.Scenario
		behaviour string
		fast      []int
	}{
		{theory.Scalar{Mu: -1, SDelta: 1, A: 1}, []float64{1, -0.8, 0.5, 1.2}, theory.Convergent, "converge", []int{0, 2, 3}},
		{theory.Scalar{Mu: -0.1, SDelta: 0, A: 1}, []float64{3}, theory.Convergent, "converge", nil},
		{theory.Scalar{Mu: 1, SDelta: -1, A: 1}, []float64{1, 0.8, 0.5, 1.2}, theory.SlowDivergent, "infinite time", nil},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{0.5, -0.3, 0.4}, theory.FastDivergent, "blow-up", []int{0, 2}},
		{theory.Scalar{Mu: 2, SDelta: 1, A: 1}, []float64{-1, -2, 0.01}, theory.FastDivergent, "blow-up", []int{2}},
		// Zero tokens are ignored by the criteria.
		{theory.Scalar{Mu: 1, SDelta: -2, A: 1}, []float64{0, 0.3, 0, 1}, theory.SlowDivergent, "infinite time", nil},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{0, 0, 0}, theory.Degenerate, "constant", nil},
		{theory.Scalar{Mu: 0, SDelta: 1, A: 1}, []float64{1, 2}, theory.Degenerate, "constant", []int{0, 1}},
		{theory.Scalar{Mu: 1, SDelta: 0, A: 1}, []float64{1, -2}, theory.Degenerate, "blow-up", nil},
	} {
		c, err := test.s.Classify(test.x0)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if c.Scenario != test.want || !strings.Contains(c.Behaviour, test.behaviour) || c.Reason == "" {
			t.Errorf("case %d: %v (%q, %q), want %v / %q", i, c.Scenario, c.Behaviour, c.Reason, test.want, test.behaviour)
		}
		if !slices.Equal(c.Fast, test.fast) {
			t.Errorf("case %d: fast tokens %v, want %v", i, c.Fast, test.fast)
		}
	}
}

// μ > 0 and S_Δ = 0 (Degenerate): Δ ≡ ln 2 and x_1 blows up at
// 1/(2 μ ln2 x_1(0)²) with exponent 1/2.
func TestDegenerateSDeltaZeroBlowUp(t *testing.T) {
	for i, test := range []struct {
		mu float64
		x0 []float64
	}{
		{1, []float64{1}},
		{0.3, []float64{-2}},
		{2, []float64{1.5, 0.2, -0.1}}, // token 1 is by far the largest
	} {
		s := theory.Scalar{Mu: test.mu, SDelta: 0, A: 1}
		want := 1 / (2 * test.mu * math.Ln2 * test.x0[0] * test.x0[0])
		if got := s.TokenBlowUpTime(test.x0[0]); math.Abs(got/want-1) > 1e-14 {
			t.Errorf("case %d: TokenBlowUpTime = %v, want %v", i, got, want)
		}
		tr, err := s.Simulate(test.x0, 10*want, &theory.SimOptions{RTol: 1e-11, ATol: 1e-14})
		if err != nil {
			t.Fatal(err)
		}
		if !tr.BlowUp || math.Abs(tr.BlowUpTime/want-1) > 1e-8 {
			t.Errorf("case %d: blow-up %v at %.12g, want %.12g", i, tr.BlowUp, tr.BlowUpTime, want)
		}
		if math.Abs(tr.BlowUpExponent-0.5) > 1e-4 {
			t.Errorf("case %d: exponent %v, want 1/2", i, tr.BlowUpExponent)
		}
		if b := s.Bounds(test.x0); tr.BlowUpTime > b.Paper*(1+1e-9) {
			t.Errorf("case %d: T* = %v above the bound %v", i, tr.BlowUpTime, b.Paper)
		}
	}
}

// μ = 0: every token is constant, exactly.
func TestDegenerateMuZeroIsConstant(t *testing.T) {
	x0 := []float64{1, -3, 0.5}
	tr, err := theory.Scalar{Mu: 0, SDelta: 2, A: 1}.Simulate(x0, 1e8, nil)
	if err != nil {
		t.Fatal(err)
	}
	for l, v := range tr.XEnd {
		if v != x0[l] {
			t.Errorf("x_%d(1e8) = %v, want %v", l+1, v, x0[l])
		}
	}
}

// The single-token blow-up time by our adaptive Gauss–Kronrod against gonum's
// fixed Gauss–Legendre on the original integral (mapped to a finite
// interval differently: x = x0 + v/(1-v)), and against simulation.
func TestTokenBlowUpTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for i := 0; i < 10; i++ {
		s := theory.Scalar{Mu: 0.2 + 3*rng.Float64(), SDelta: 0.1 + 3*rng.Float64(), A: 1}
		x0 := 0.05 + 2*rng.Float64()
		got := s.TokenBlowUpTime(x0)
		f := func(v float64) float64 {
			x := x0 + v/(1-v)
			return 1 / (s.Mu * x * x * x * mamba.Softplus(s.SDelta*x)) / ((1 - v) * (1 - v))
		}
		ref := quad.Fixed(f, 0, 1, 2000, quad.Legendre{}, 0)
		if math.Abs(got/ref-1) > 1e-9 {
			t.Errorf("%+v x0 = %v: quadrature %.13g, gonum Legendre %.13g", s, x0, got, ref)
		}
		tr, err := s.Simulate([]float64{x0}, 10*got, &theory.SimOptions{RTol: 1e-11, ATol: 1e-14})
		if err != nil {
			t.Fatal(err)
		}
		if !tr.BlowUp || math.Abs(tr.BlowUpTime/got-1) > 1e-8 {
			t.Errorf("%+v x0 = %v: simulated T* = %.12g, quadrature %.12g", s, x0, tr.BlowUpTime, got)
		}
		// Theorem C's bound holds and is looser.
		if b := 1 / (3 * s.Mu * s.SDelta * x0 * x0 * x0); got >= b {
			t.Errorf("quadrature %v not below the bound %v", got, b)
		}
	}
	if v := (theory.Scalar{Mu: 1, SDelta: -1, A: 1}).TokenBlowUpTime(1); !math.IsInf(v, 1) {
		t.Errorf("S_Δ x < 0: T* = %v, want +Inf", v)
	}
	if v := (theory.Scalar{Mu: -1, SDelta: 1, A: 1}).TokenBlowUpTime(1); !math.IsInf(v, 1) {
		t.Errorf("μ < 0: T* = %v, want +Inf", v)
	}
}

// Convergence: √t|x_1| → (2|μ| ln2)^-1/2 and, derived here, √t|x_l| →
// sqrt((1-2^-a)/(2|μ| ln2)) for l ≥ 2; √t|x_l| never exceeds SqrtTBound.
func TestSqrtTLimits(t *testing.T) {
	s := theory.Scalar{Mu: -1, SDelta: 1, A: 1}
	x0 := []float64{1, -0.8, 0.5, 1.2}
	lim := s.SqrtTLimits(x0)
	want := math.Sqrt(0.5 / (2 * math.Ln2))
	if math.Abs(lim[0]-s.SqrtTLimit()) > 1e-15 || math.Abs(lim[1]-want) > 1e-15 || math.Abs(lim[3]-want) > 1e-15 {
		t.Fatalf("limits %v, want %v then %v", lim, s.SqrtTLimit(), want)
	}
	// A zero token does not count, but its Δ = ln 2 still decays the kernel.
	gap := s.SqrtTLimits([]float64{1, 0, 1})
	if gap[1] != 0 || math.Abs(gap[2]-math.Sqrt((1-0.25)/(2*math.Ln2))) > 1e-15 {
		t.Errorf("limits with a zero token %v", gap)
	}
	tr, err := s.Simulate(x0, 1e10, &theory.SimOptions{RTol: 1e-10, ATol: 1e-16, SamplesPerDecade: 4})
	if err != nil {
		t.Fatal(err)
	}
	last := len(tr.T) - 1
	for l := range x0 {
		got := math.Sqrt(tr.T[last]) * math.Abs(tr.At(last, l, 0))
		if math.Abs(got/lim[l]-1) > 2e-3 {
			t.Errorf("√t|x_%d| at t = 1e10 is %.6f, predicted limit %.6f", l+1, got, lim[l])
		}
		for k := 1; k <= last; k++ {
			if v := math.Sqrt(tr.T[k]) * math.Abs(tr.At(k, l, 0)); v > s.SqrtTBound(x0[l]) {
				t.Errorf("√t|x_%d(%g)| = %v above the bound %v", l+1, tr.T[k], v, s.SqrtTBound(x0[l]))
			}
		}
	}
}

// Slow divergence of token 1: G = |S_Δ|y - 3 ln y grows like ln t + ln(μ|S_Δ|).
func TestSlowOffset(t *testing.T) {
	s := theory.Scalar{Mu: 2.5, SDelta: -0.7, A: 1}
	tr, err := s.Simulate([]float64{0.9}, 1e12, &theory.SimOptions{Times: []float64{1e10, 1e12}, RTol: 1e-11, ATol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	ga, gb := s.SlowG(tr.At(0, 0, 0)), s.SlowG(tr.At(1, 0, 0))
	if slope := (gb - ga) / math.Log(100); math.Abs(slope-1) > 0.01 {
		t.Errorf("dG/d ln t = %v, want 1", slope)
	}
	// G - ln t → ln(μ s) - ln(1 + 3/(sy) + 12/(sy)² + …).
	sy := 0.7 * math.Abs(tr.At(1, 0, 0))
	want := s.SlowOffset() - math.Log(1+3/sy+12/(sy*sy)+60/(sy*sy*sy))
	if d := gb - math.Log(1e12) - want; math.Abs(d) > 5e-3 {
		t.Errorf("G(T) - ln T = %v, predicted %v", gb-math.Log(1e12), want)
	}
}

func TestScalarBadInput(t *testing.T) {
	for i, test := range []struct {
		s    theory.Scalar
		x0   []float64
		T    float64
		want string
	}{
		{theory.Scalar{Mu: math.NaN(), SDelta: 1, A: 1}, []float64{1}, 1, "mu"},
		{theory.Scalar{Mu: 1, SDelta: math.Inf(1), A: 1}, []float64{1}, 1, "S_Δ"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 0}, []float64{1}, 1, "a = 0"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: -1}, []float64{1}, 1, "a > 0"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, nil, 1, "empty"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{1, math.NaN()}, 1, "x0[1]"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{1}, 0, "horizon"},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{1}, math.NaN(), "horizon"},
	} {
		_, err := test.s.Simulate(test.x0, test.T, nil)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d Simulate: err = %v, want one mentioning %q", i, err, test.want)
		}
		if test.T == 1 {
			if _, err := test.s.Classify(test.x0); err == nil {
				t.Errorf("case %d Classify: no error", i)
			}
		}
	}
}

func TestSystemBadInput(t *testing.T) {
	good := func() *theory.System {
		return &theory.System{D: 2, N: 1, SB: []float64{1, 0}, SC: []float64{1, 0}, SDelta: []float64{1, 0, 0, 1}, A: []float64{-1, -1}}
	}
	for i, test := range []struct {
		edit func(s *theory.System)
		want string
	}{
		{func(s *theory.System) { s.SB = s.SB[:1] }, "S_B has 1 entries, want 2"},
		{func(s *theory.System) { s.SDelta = append(s.SDelta, 0) }, "S_Δ"},
		{func(s *theory.System) { s.A[1] = 0 }, "A[1,0]"},
		{func(s *theory.System) { s.SC[0] = math.NaN() }, "S_C[0]"},
		{func(s *theory.System) { s.Bias = []float64{1} }, "bias"},
		{func(s *theory.System) { s.D = 0 }, "sizes"},
	} {
		s := good()
		test.edit(s)
		_, err := s.Simulate([]float64{1, 1}, 1, nil)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: err = %v, want one mentioning %q", i, err, test.want)
		}
	}
	if _, err := good().Simulate([]float64{1, 1, 1}, 1, nil); err == nil || !strings.Contains(err.Error(), "(L, D)") {
		t.Errorf("tokens not a multiple of D: err = %v", err)
	}
	if _, err := good().NewField(0); err == nil {
		t.Errorf("NewField(0): no error")
	}
	tr, err := good().Simulate([]float64{0.1, 0.2, 0.3, 0.4}, 1, nil)
	if err != nil || tr.Status != ode.Completed {
		t.Errorf("good system: %v, %v", err, tr)
	}
}
