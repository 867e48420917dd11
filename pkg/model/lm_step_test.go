package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLMStepMatchesForward feeds a sequence token by token through the
// recurrent step and compares the logits at every position with the full
// (parallel-scan) forward pass, in float64, for several shapes and
// parametrizations; the trace's first residual norm is the embedding's.
func TestLMStepMatchesForward(t *testing.T) {
	cases := []LMConfig{
		{DModel: 8, NLayer: 2, Vocab: 11, DState: 4, DConv: 4, Expand: 2, Param: ParamNone},
		{DModel: 6, NLayer: 3, Vocab: 7, DState: 3, DConv: 3, Expand: 2, Param: ParamPos},
		{DModel: 5, NLayer: 1, Vocab: 5, DState: 2, DConv: 1, Expand: 1, Param: ParamMixed},
	}
	for ci, cfg := range cases {
		m, err := NewLM[float64](cfg, rand.New(rand.NewPCG(uint64(ci), 9)))
		if err != nil {
			t.Fatal(err)
		}
		// Perturb the weights away from the initialisation's regular
		// structure (D = 1, A_log = log(1..N), zero-ish biases).
		rng := rand.New(rand.NewPCG(uint64(ci), 10))
		for _, p := range m.Params() {
			for i := range p.W {
				p.W[i] += 0.3 * rng.NormFloat64()
			}
		}
		const L = 23
		toks := make([]int32, L)
		for i := range toks {
			toks[i] = int32(rng.IntN(cfg.Vocab))
		}
		want, err := m.Logits(toks, 1)
		if err != nil {
			t.Fatal(err)
		}
		st := m.NewState()
		got := make([]float64, cfg.Vocab)
		var tr StepTrace
		worst := 0.0
		for l, tok := range toks {
			if err := m.Step(st, tok, got, &tr); err != nil {
				t.Fatal(err)
			}
			for j, g := range got {
				worst = math.Max(worst, math.Abs(g-want[l*cfg.Vocab+j]))
			}
			if e := norm2(m.embed.W[int(tok)*cfg.DModel : int(tok+1)*cfg.DModel]); tr.Residual[0] != e {
				t.Fatalf("case %d: trace residual[0] = %v, want the embedding norm %v", ci, tr.Residual[0], e)
			}
			if len(tr.Update) != cfg.NLayer || len(tr.Residual) != cfg.NLayer+1 {
				t.Fatalf("case %d: trace lengths %d, %d", ci, len(tr.Update), len(tr.Residual))
			}
		}
		if worst > 1e-10 {
			t.Errorf("case %d: step and forward logits differ by %.3g, want <= 1e-10", ci, worst)
		}
		if st.Pos() != L {
			t.Errorf("case %d: Pos = %d, want %d", ci, st.Pos(), L)
		}
	}
}

// BenchmarkLMStep measures one recurrent step (one token through every
// layer and the head) of a float32 model of the scaled experiment's shape;
// the cost does not depend on the position.
func BenchmarkLMStep(b *testing.B) {
	cfg := LMConfig{DModel: 64, NLayer: 4, Vocab: 96, DState: 16, DConv: 4, Expand: 2, Param: ParamPos}
	m, err := NewLM[float32](cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	st := m.NewState()
	logits := make([]float32, cfg.Vocab)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.Step(st, int32(i%cfg.Vocab), logits, nil); err != nil {
			b.Fatal(err)
		}
	}
}
