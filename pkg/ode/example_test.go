package ode_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/ode"
)

// x' = x⁴, x(0) = 1 blows up at T* = 1/3 with |x| ~ (T* - t)^(-1/3).
func ExampleSolve_blowUp() {
	f := func(_ float64, x, dx []float64) { dx[0] = x[0] * x[0] * x[0] * x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T0: 0, T1: 10, X0: []float64{1}},
		&ode.Options{RTol: 1e-10, ATol: 1e-12, BlowUpNorm: 1e3})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.BlowUpReason)
	fmt.Printf("T* = %.9f, beta = %.4f\n", res.BlowUpTime, res.BlowUpExponent)
	// Output:
	// blow-up threshold
	// T* = 0.333333333, beta = 0.3333
}

// x' = -x³ to t = 1e8 in log time: x(t) = (1 + 2t)^-½.
func ExampleOptions_logTime() {
	f := func(_ float64, x, dx []float64) { dx[0] = -x[0] * x[0] * x[0] }
	res, err := ode.Solve(ode.Problem{F: f, T1: 1e8, X0: []float64{1}},
		&ode.Options{RTol: 1e-10, ATol: 1e-14, LogTime: true, Dense: []float64{1e4}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("x(1e4) = %.8e, x(1e8) = %.8e\n", res.DenseX[0], res.X[0])
	// Output:
	// x(1e4) = 7.07089104e-03, x(1e8) = 7.07106779e-05
}
