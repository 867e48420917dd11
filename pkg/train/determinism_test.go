package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// TestTrainingDeterministic runs a few full updates (forward, backward,
// clipping, AdamW) of a small LM twice on 2 threads and once on 1 thread and
// requires bit-identical losses, gradient norms and weights: the parallel
// passes split the batch but sum every gradient in an order fixed by the
// shapes.
func TestTrainingDeterministic(t *testing.T) {
	type run struct {
		stats []optim.StepStats
		w     [][]float32
	}
	train := func(threads int) run {
		mc := model.LMConfig{DModel: 16, NLayer: 2, Vocab: 96, DState: 16, DConv: 4, Expand: 2, Param: "pos"}
		m, err := NewLM(mc, 7, threads)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 3))
		stream := make([]uint8, 4000)
		for i := range stream {
			stream[i] = uint8(rng.IntN(96))
		}
		w, err := NewWindows(stream, 48)
		if err != nil {
			t.Fatal(err)
		}
		o := lmrun.DefaultOptions()
		o.Steps, o.Batch = 4, 6
		tn, err := NewTrainer(m, w, w, o)
		if err != nil {
			t.Fatal(err)
		}
		var r run
		for s := 0; s < o.Steps; s++ {
			st, err := tn.Step()
			if err != nil {
				t.Fatal(err)
			}
			r.stats = append(r.stats, st)
		}
		for _, p := range m.Params() {
			r.w = append(r.w, append([]float32(nil), p.W...))
		}
		return r
	}
	same := func(name string, a, b run) {
		t.Helper()
		for i := range a.stats {
			if math.Float64bits(a.stats[i].Loss) != math.Float64bits(b.stats[i].Loss) ||
				math.Float64bits(a.stats[i].GradNorm) != math.Float64bits(b.stats[i].GradNorm) {
				t.Fatalf("%s: step %d: %+v vs %+v", name, i+1, a.stats[i], b.stats[i])
			}
		}
		for i := range a.w {
			for j := range a.w[i] {
				if math.Float32bits(a.w[i][j]) != math.Float32bits(b.w[i][j]) {
					t.Fatalf("%s: parameter %d element %d: %v vs %v", name, i, j, a.w[i][j], b.w[i][j])
				}
			}
		}
	}
	a, b, c := train(2), train(2), train(1)
	if a.stats[0].Loss == a.stats[len(a.stats)-1].Loss {
		t.Fatalf("the loss did not move: %+v", a.stats)
	}
	same("2 threads, twice", a, b)
	same("1 and 2 threads", a, c)
}
