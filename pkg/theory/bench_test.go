package theory_test

import (
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// One 1-D trajectory with L = 10 to t = 1e6 (default options: log time,
// 20 samples per decade), for each scenario. Target: ≤ 10 ms.
func BenchmarkTrajectoryL10(b *testing.B) {
	x := []float64{0.9, 0.4, 1.3, 0.2, 0.7, 1.9, 0.5, 1.1, 0.3, 0.8}
	for _, c := range []struct {
		name string
		s    theory.Scalar
		x0   []float64
	}{
		{"convergent", theory.Scalar{Mu: -1, SDelta: 1, A: 1}, x},
		{"slow", theory.Scalar{Mu: 1, SDelta: -1, A: 1}, x},
		{"fast", theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{-0.9, -0.4, -1.3, 0.2, -0.7, -1.9, 0.5, -1.1, -0.3, -0.8}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.s.Simulate(c.x0, 1e6, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The full sweep the figures use: 1e4 instances per scenario on 2 workers.
// Target: ≤ 60 s per iteration.
func BenchmarkSweepFull(b *testing.B) {
	for b.Loop() {
		res, err := theory.Sweep(theory.SweepConfig{Seed: 1, PerScenario: 10000, Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		for _, sc := range res.Scenarios {
			if sc.Agree != sc.Count {
				b.Errorf("%v: %d/%d agree", sc.Scenario, sc.Agree, sc.Count)
			}
		}
	}
}

func BenchmarkScalarEval(b *testing.B) {
	s := theory.Scalar{Mu: 1, SDelta: -1, A: 1}
	x := []float64{0.9, 0.4, 1.3, 0.2, 0.7, 1.9, 0.5, 1.1, 0.3, 0.8}
	dx := make([]float64, len(x))
	for b.Loop() {
		s.Eval(x, dx)
	}
}

func BenchmarkFieldEval(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	s := randomSystem(rng, 4, 4, false)
	f, err := s.NewField(10)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, 40)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	dx := make([]float64, 40)
	for b.Loop() {
		f.Eval(x, dx)
	}
}
