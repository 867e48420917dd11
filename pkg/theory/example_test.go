package theory_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// The three rows of Table 1 on the reference systems of docs/paper.md §10.
func ExampleScalar_Classify() {
	for _, c := range []struct {
		s  theory.Scalar
		x0 []float64
	}{
		{theory.Scalar{Mu: -1, SDelta: 1, A: 1}, []float64{1, -0.8, 0.5, 1.2}},
		{theory.Scalar{Mu: 1, SDelta: -1, A: 1}, []float64{1, 0.8, 0.5, 1.2}},
		{theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{0.5, -0.3, 0.4}},
		{theory.Scalar{Mu: 1, SDelta: 0, A: 1}, []float64{0.5}},
	} {
		cl, err := c.s.Classify(c.x0)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-14v %s\n", cl.Scenario, cl.Behaviour)
	}
	// Output:
	// convergent     all tokens converge to 0
	// slow-divergent all tokens diverge in infinite time
	// fast-divergent finite-time blow-up
	// degenerate     finite-time blow-up
}

// Fast divergence: the simulated blow-up time, the single-token quadrature
// and Theorem C's bound.
func ExampleScalar_Simulate() {
	s := theory.Scalar{Mu: 1, SDelta: 1, A: 1}
	x0 := []float64{0.5, -0.3, 0.4}
	tr, err := s.Simulate(x0, 10, &theory.SimOptions{RTol: 1e-11, ATol: 1e-14})
	if err != nil {
		panic(err)
	}
	b := s.Bounds(x0)
	fmt.Printf("blow-up %v at T* = %.6f (quadrature %.6f, bound %.4f)\n", tr.BlowUp, tr.BlowUpTime, b.FirstToken, b.Paper)
	// Output:
	// blow-up true at T* = 1.676939 (quadrature 1.676939, bound 2.6667)
}

// Convergence: √t|x_l(t)| at t = 1e4 next to the predicted limits.
func ExampleScalar_SqrtTLimits() {
	s := theory.Scalar{Mu: -1, SDelta: 1, A: 1}
	x0 := []float64{1, -0.8, 0.5, 1.2}
	tr, err := s.Simulate(x0, 1e4, &theory.SimOptions{Times: []float64{1e4}, RTol: 1e-10})
	if err != nil {
		panic(err)
	}
	lim := s.SqrtTLimits(x0)
	for l := range x0 {
		fmt.Printf("token %d: %.4f -> %.4f\n", l+1, 100*tr.At(0, l, 0), lim[l])
	}
	// Output:
	// token 1: 0.8442 -> 0.8493
	// token 2: -0.6076 -> 0.6006
	// token 3: 0.5934 -> 0.6006
	// token 4: 0.6043 -> 0.6006
}
