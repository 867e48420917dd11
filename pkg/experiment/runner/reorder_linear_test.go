package runner

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// linearLoss's gradient agrees with central finite differences of its loss.
func TestLinearLossGradient(t *testing.T) {
	const n, f, c = 5, 7, 3
	rng := rand.New(rand.NewPCG(1, 2))
	w, b := make([]float64, c*f), make([]float64, c)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	x := make([]float32, n*f)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	y := []int32{0, 2, 1, 1, 0}
	gw, gb := make([]float64, c*f), make([]float64, c)
	linearLoss(w, b, x, y, c, gw, gb)
	check := func(name string, p, g []float64) {
		for i := range p {
			const h = 1e-6
			old := p[i]
			p[i] = old + h
			up := linearLoss(w, b, x, y, c, make([]float64, c*f), make([]float64, c))
			p[i] = old - h
			down := linearLoss(w, b, x, y, c, make([]float64, c*f), make([]float64, c))
			p[i] = old
			if fd := (up - down) / (2 * h); math.Abs(fd-g[i]) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("%s[%d]: gradient %v, finite difference %v", name, i, g[i], fd)
			}
		}
	}
	check("W", w, gw)
	check("b", b, gb)
}

// On classes that a linear rule separates (the class shifts one token
// value), LinearBaseline reaches full test accuracy; on labels independent
// of the tokens it stays near chance.
func TestLinearBaselineSeparatesAndDoesNotInvent(t *testing.T) {
	const n, nt, l, f, c = 400, 200, 4, 3, 4
	rng := rand.New(rand.NewPCG(3, 4))
	make3 := func(count int, informative bool) ([]float32, []int32) {
		x, y := make([]float32, count*l*f), make([]int32, count)
		for i := range count {
			y[i] = int32(rng.IntN(c))
			for j := range l * f {
				x[i*l*f+j] = float32(0.3 * rng.NormFloat64())
			}
			if informative {
				x[i*l*f+int(y[i])] += 2
			}
		}
		return x, y
	}
	spec := reorder.Quick()
	for _, informative := range []bool{true, false} {
		tr, trl := make3(n, informative)
		te, tel := make3(nt, informative)
		d := &reorder.Data{TrainLab: trl, TestLab: tel, Classes: c}
		tok := reorder.Tokens{Patch: 1, L: l, F: f, Train: tr, Test: te}
		acc, err := LinearBaseline(context.Background(), d, tok, spec, 1)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case informative && acc < 0.99:
			t.Errorf("separable classes: accuracy %v, want ≈ 1", acc)
		case !informative && acc > 0.4:
			t.Errorf("labels independent of the tokens: accuracy %v, want near chance 0.25", acc)
		}
	}
	if _, err := LinearBaseline(context.Background(), &reorder.Data{Classes: c}, reorder.Tokens{L: l, F: f}, spec, 1); err == nil {
		t.Error("no training images: want an error")
	}
}

// RunReorder records one linear reference per patch size (the first
// seed's), each a test accuracy that LinearBaseline reproduces, and Check
// refuses a result whose references do not match its specification.
func TestReorderRecordsLinearReference(t *testing.T) {
	s := tinyReorderSpec()
	r := tinyResult(t, s)
	if len(r.Linear) != len(s.Patches) {
		t.Fatalf("%d linear references for %d patch sizes", len(r.Linear), len(s.Patches))
	}
	d, err := reorder.NewData(syntheticSet(48, 3), syntheticSet(24, 4), 2, s, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range r.Linear {
		acc, err := LinearBaseline(context.Background(), d, d.Tokens[s.Patches[i]], s, s.Seeds[0])
		if err != nil {
			t.Fatal(err)
		}
		if l.Patch != s.Patches[i] || l.Seed != s.Seeds[0] || l.TestAcc != acc {
			t.Errorf("reference %d: %+v, want patch %d, seed %d, accuracy %v", i, l, s.Patches[i], s.Seeds[0], acc)
		}
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*reorder.Result){
		func(r *reorder.Result) { r.Linear[0].TestAcc = math.NaN() },
		func(r *reorder.Result) { r.Linear[0].Patch, r.Linear[1].Patch = r.Linear[1].Patch, r.Linear[0].Patch },
		func(r *reorder.Result) { r.Linear[1].Seed++ },
		func(r *reorder.Result) { r.Linear = r.Linear[:1] },
	} {
		c := *r
		c.Linear = append([]reorder.LinearRef(nil), r.Linear...)
		bad(&c)
		if err := c.Check(); err == nil {
			t.Errorf("a result with linear references %+v was accepted", c.Linear)
		}
	}
}
