package notebook

import (
	"math"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// Convergent (μ < 0): every |x_l| decays, like (2|μ| ln 2 t)^{-1/2} for the
// first token (docs/paper.md §3, Theorem A). Fast divergence: the label carries
// the simulated T*, which lies below the Theorem C bound of the token.
func TestScalarLines(t *testing.T) {
	lines, label, err := ScalarLines(theory.Scalar{Mu: -1, SDelta: 1, A: 1}, []float64{0.8, -0.5, 1.0}, 1e4)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 || lines[0].Name != "token 1" || !strings.Contains(label, "onvergent") {
		t.Fatalf("got %d lines, first %q, label %q", len(lines), lines[0].Name, label)
	}
	for _, l := range lines {
		if n := len(l.Y); n < 10 || !(l.Y[n-1] < 0.1*l.Y[0]) {
			t.Errorf("%s: |x| from %v to %v, want a decay", l.Name, l.Y[0], l.Y[n-1])
		}
	}
	first := lines[0]
	n := len(first.X)
	if want := 1 / math.Sqrt(2*math.Ln2*first.X[n-1]); math.Abs(first.Y[n-1]/want-1) > 0.05 {
		t.Errorf("token 1 at t = %g: %g, want ≈ %g", first.X[n-1], first.Y[n-1], want)
	}
	_, label, err = ScalarLines(theory.Scalar{Mu: 1, SDelta: 1, A: 1}, []float64{0.5, -0.3, 0.4}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(label, "blow-up at T*") {
		t.Errorf("fast divergence label %q names no T*", label)
	}
}

func TestLogLogPlotDropsWhatALogAxisCannotShow(t *testing.T) {
	a := Line{Name: "a", X: []float64{1, 10, 100, -1}, Y: []float64{1, 0, 1e13, 5}}
	if got := logPoints(a); len(got) != 1 || got[0].X != 1 || got[0].Y != 1 {
		t.Fatalf("drawable points of a: %v, want only (1, 1)", got)
	}
	p, err := LogLogPlot("t", "x", "y", []Line{a, {Name: "b", X: []float64{1, 10, 100}, Y: []float64{1, 2, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PNG(p, 200, 150, 72); err != nil {
		t.Fatal(err)
	}
}
