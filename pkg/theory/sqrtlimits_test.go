package theory

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sqrtTLimitsQuadratic is the direct O(L²) evaluation of the recursion
// c_l² = K − Σ_{j<l} q^{l−j} c_j², the reference of the O(L) SqrtTLimits.
func sqrtTLimitsQuadratic(s Scalar, x0 []float64) []float64 {
	k := 1 / (2 * math.Abs(s.Mu) * math.Ln2)
	q := math.Exp2(-s.A)
	c2 := make([]float64, len(x0))
	out := make([]float64, len(x0))
	for l, v := range x0 {
		if v == 0 {
			continue
		}
		sum := 0.0
		for j := 0; j < l; j++ {
			sum += math.Pow(q, float64(l-j)) * c2[j]
		}
		c2[l] = math.Max(0, k-sum)
		out[l] = math.Sqrt(c2[l])
	}
	return out
}

func TestSqrtTLimitsMatchesQuadratic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		s := Scalar{Mu: -0.1 - 3*rng.Float64(), SDelta: rng.NormFloat64(), A: 0.05 + 3*rng.Float64()}
		x0 := make([]float64, 1+rng.IntN(60))
		for i := range x0 {
			if rng.IntN(4) > 0 {
				x0[i] = rng.NormFloat64()
			}
		}
		got, want := s.SqrtTLimits(x0), sqrtTLimitsQuadratic(s, x0)
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, want[i]) {
				t.Fatalf("trial %d token %d: %v, quadratic %v", trial, i, got[i], want[i])
			}
		}
	}
}

func BenchmarkSqrtTLimits65536(b *testing.B) {
	x0 := make([]float64, 65536)
	for i := range x0 {
		x0[i] = 1
	}
	s := Scalar{Mu: -1, SDelta: 1, A: 1}
	for b.Loop() {
		s.SqrtTLimits(x0)
	}
}
