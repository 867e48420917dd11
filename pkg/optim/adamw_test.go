package optim

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Two AdamW steps on one scalar, against values worked out by hand from
// torch.optim.AdamW's update (decay w·(1−lr·λ) first, bias-corrected moments).
// First case, step 1: w = 0.99 − 0.1·0.5/(0.5+1e-8) = 0.890000002.
func TestAdamWHandComputedSteps(t *testing.T) {
	for i, test := range []struct {
		w0, lr, wd float64
		noDecay    bool
		g          [2]float64
		want       [2]float64 // w after each step
		wantM      [2]float64
		wantV      [2]float64
	}{
		{1, 0.1, 0.1, false, [2]float64{0.5, -0.25},
			[2]float64{0.890000002, 0.8544662986878463}, [2]float64{0.05, 0.02}, [2]float64{0.00025, 0.00031225}},
		// NoDecay: the same gradients without the decay factor.
		{1, 0.1, 0.1, true, [2]float64{0.5, -0.25},
			[2]float64{0.900000002, 0.8733662987078463}, [2]float64{0.05, 0.02}, [2]float64{0.00025, 0.00031225}},
		{-2, 0.01, 0, false, [2]float64{1e-3, 3},
			[2]float64{-2.009999900001, -2.01744350019894}, [2]float64{1e-4, 0.30009}, [2]float64{1e-9, 0.009000000999}},
	} {
		p := model.NewParam[float64]("w", test.noDecay, 1)
		p.W[0] = test.w0
		opt, err := NewAdamW([]*model.Param[float64]{p}, 0.9, 0.999, 1e-8, test.wd)
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < 2; s++ {
			p.G[0] = test.g[s]
			if err := opt.Update(test.lr); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"w", p.W[0], test.want[s]}, {"m", opt.M[0][0], test.wantM[s]}, {"v", opt.V[0][0], test.wantV[s]}} {
				if math.Abs(c.got-c.want) > 1e-13*(1+math.Abs(c.want)) {
					t.Errorf("case %d step %d: %s = %.17g, want %.17g", i, s+1, c.name, c.got, c.want)
				}
			}
			if p.G[0] != test.g[s] {
				t.Errorf("case %d: Update changed the gradient", i)
			}
		}
		if opt.Step != 2 {
			t.Errorf("case %d: Step = %d, want 2", i, opt.Step)
		}
	}
}

// With zero gradients, AdamW only decays: w_t = w_0 (1 − lr λ)^t.
func TestAdamWZeroGradientIsPureDecay(t *testing.T) {
	p := model.NewParam[float64]("w", false, 3)
	copy(p.W, []float64{1, -2, 0.5})
	opt, err := NewAdamW([]*model.Param[float64]{p}, 0.9, 0.999, 1e-8, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < 10; s++ {
		if err := opt.Update(1e-2); err != nil {
			t.Fatal(err)
		}
	}
	f := math.Pow(1-1e-2*0.25, 10)
	for i, w0 := range []float64{1, -2, 0.5} {
		if math.Abs(p.W[i]-w0*f) > 1e-15 {
			t.Errorf("w[%d] = %v, want %v", i, p.W[i], w0*f)
		}
	}
}

// Parameter groups: a NoDecay tensor (A_log, D, a bias, a norm weight) is
// decayed like any other under DecayAll (the authors' optimizer has no
// groups, docs/paper.md §13) and kept under Mamba's groups.
func TestAdamWDecayGroups(t *testing.T) {
	for _, all := range []bool{true, false} {
		p := model.NewParam[float64]("D", true, 2)
		copy(p.W, []float64{1, -1})
		opt, err := NewAdamW([]*model.Param[float64]{p}, 0.9, 0.999, 1e-8, 0.25)
		if err != nil {
			t.Fatal(err)
		}
		opt.DecayAll = all
		for s := 0; s < 4; s++ {
			if err := opt.Update(1e-2); err != nil {
				t.Fatal(err)
			}
		}
		want := 1.0
		if all {
			want = math.Pow(1-1e-2*0.25, 4)
		}
		if math.Abs(p.W[0]-want) > 1e-15 || math.Abs(p.W[1]+want) > 1e-15 {
			t.Errorf("DecayAll %v: D = %v, want ±%v", all, p.W, want)
		}
	}
}

func TestAdamWRejectsBadSettings(t *testing.T) {
	p := model.NewParam[float32]("w", false, 1)
	ps := []*model.Param[float32]{p}
	for i, test := range []struct{ b1, b2, eps, wd float64 }{
		{1, 0.999, 1e-8, 0}, {0.9, -0.1, 1e-8, 0}, {0.9, 0.999, 0, 0}, {0.9, 0.999, 1e-8, -1}, {0.9, 0.999, 1e-8, math.NaN()},
	} {
		if _, err := NewAdamW(ps, test.b1, test.b2, test.eps, test.wd); err == nil {
			t.Errorf("case %d: no error for %+v", i, test)
		}
	}
	p.W[0] = float32(math.NaN())
	if _, err := NewAdamW(ps, 0.9, 0.999, 1e-8, 0); err == nil {
		t.Errorf("no error for a NaN weight")
	}
	p.W[0] = 0
	opt, _ := NewAdamW(ps, 0.9, 0.999, 1e-8, 0)
	if err := opt.Update(math.Inf(1)); err == nil {
		t.Errorf("no error for an infinite learning rate")
	}
}

// With DecayAll a zero-gradient update shrinks every weight by (1 − lr·λ),
// A_log, D and biases included; with DecayMamba the ones the model marks
// stay; with DecayTimm exactly those of at most one dimension stay,
// whatever the model marks (a marked matrix such as A_log decays, an
// unmarked vector does not).
func TestDecayGroups(t *testing.T) {
	for _, test := range []struct {
		groups  string
		decayed map[string]bool
	}{
		{model.DecayAll, map[string]bool{"w": true, "bias": true, "A_log": true, "vec": true}},
		{model.DecayMamba, map[string]bool{"w": true, "bias": false, "A_log": false, "vec": true}},
		{model.DecayTimm, map[string]bool{"w": true, "bias": false, "A_log": true, "vec": false}},
	} {
		w := model.NewParam[float64]("w", false, 1, 2)
		b := model.NewParam[float64]("bias", true, 2)
		alog := model.NewParam[float64]("A_log", true, 1, 2)
		vec := model.NewParam[float64]("vec", false, 2)
		ps := []*model.Param[float64]{w, b, alog, vec}
		for _, p := range ps {
			p.W[0], p.W[1] = 1, -2
		}
		if err := DecayGroups(ps, test.groups); err != nil {
			t.Fatal(err)
		}
		opt, err := NewAdamW(ps, 0.9, 0.999, 1e-8, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if err := opt.Update(0.1); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			want := []float64{1, -2}
			if test.decayed[p.Name] {
				want = []float64{0.95, -1.9}
			}
			if p.W[0] != want[0] || p.W[1] != want[1] {
				t.Errorf("%s: %s = %v, want %v", test.groups, p.Name, p.W, want)
			}
		}
	}
	if err := DecayGroups([]*model.Param[float64]{}, "none"); err == nil {
		t.Error("unknown grouping accepted")
	}
}

// TestAdamWWorkersSameBits: Update split over goroutines (ranges that cut
// through parameters, decayed and not) gives the serial update's bits for
// weights and moments, over three steps.
func TestAdamWWorkersSameBits(t *testing.T) {
	sizes := []int{5, adamwMinSplit / 3, 1, adamwMinSplit / 2, 7, 3000}
	run := func(workers int) ([]*model.Param[float32], *AdamW[float32]) {
		var ps []*model.Param[float32]
		for i, n := range sizes {
			p := model.NewParam[float32]("p", i%2 == 1, n)
			for j := range p.W {
				p.W[j] = float32(math.Sin(float64(7*i+j))) * 0.5
			}
			ps = append(ps, p)
		}
		opt, err := NewAdamW(ps, 0.9, 0.999, 1e-8, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		opt.Workers = workers
		for s := 0; s < 3; s++ {
			for i, p := range ps {
				for j := range p.G {
					p.G[j] = float32(math.Cos(float64(s*131+i*17+j))) * 0.1
				}
			}
			if err := opt.Update(1e-3); err != nil {
				t.Fatal(err)
			}
		}
		return ps, opt
	}
	ps1, o1 := run(1)
	for _, workers := range []int{2, 3} {
		psw, ow := run(workers)
		for i := range ps1 {
			for j := range ps1[i].W {
				if math.Float32bits(ps1[i].W[j]) != math.Float32bits(psw[i].W[j]) ||
					math.Float32bits(o1.M[i][j]) != math.Float32bits(ow.M[i][j]) ||
					math.Float32bits(o1.V[i][j]) != math.Float32bits(ow.V[i][j]) {
					t.Fatalf("workers %d: param %d element %d: w %v, serial %v", workers, i, j, psw[i].W[j], ps1[i].W[j])
				}
			}
		}
	}
}
