package train

import (
	"context"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
)

func synthCorpus() *text.Corpus {
	s := bigramStream(30000, 12, 5)
	c, err := text.FromTokens("synthetic", 12, s[:24000], s[24000:27000], s[27000:])
	if err != nil {
		panic(err)
	}
	return c
}

func synthConfig(param string) lmrun.Config {
	o := lmrun.DefaultOptions()
	o.Steps, o.Batch, o.LR = 40, 4, 1e-2
	o.EvalEvery, o.EvalWindows, o.EvalBatch = 10, 8, 8
	return lmrun.Config{
		Model: model.LMConfig{DModel: 8, NLayer: 2, DState: 4, DConv: 2, Expand: 2, Param: param},
		Data:  lmrun.DataConfig{Name: "gcide", SeqLen: 16}, Train: o, FinalEvalWindows: 16, Seed: 1, Threads: 1,
	}
}

// Run trains one configuration: the spectra have the inertia of the
// parametrization (docs/paper.md §5.1) with d_inner − N exact zeros, the skip
// statistics cover every layer, the history has one point per evaluation,
// the token count is steps × batch × L, and the same configuration gives the
// same numbers with another thread count.
func TestRunRecordsSpectraSkipAndHistory(t *testing.T) {
	c := synthCorpus()
	want := map[string][2]int{model.ParamPos: {4, 0}, model.ParamNeg: {0, 4}, model.ParamMixed: {2, 2}}
	for _, param := range lmrun.Parametrizations() {
		r, err := Run(context.Background(), synthConfig(param), c, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Spectra {
			if w, ok := want[param]; ok && (s.Positive != w[0] || s.Negative != w[1]) {
				t.Errorf("%s layer %d: inertia (+%d, −%d), want (+%d, −%d)", param, s.Layer, s.Positive, s.Negative, w[0], w[1])
			}
			if s.Zeros != 16-4 {
				t.Errorf("%s: %d zero eigenvalues, want d_inner − N = 12", param, s.Zeros)
			}
		}
		if len(r.Spectra) != 2 || len(r.Skip) != 2 || r.Tokens != 40*4*16 || r.Params <= 0 || len(r.Curve) != 4 || r.Scenario != param {
			t.Errorf("%s: %d spectra, %d skip stats, %d tokens, %d params, %d curve points", param, len(r.Spectra), len(r.Skip), r.Tokens, r.Params, len(r.Curve))
		}
		if !(r.Test.Perplexity > 1 && r.Test.Perplexity < 12) {
			t.Errorf("%s: test perplexity %v outside (1, vocabulary)", param, r.Test.Perplexity)
		}
	}
	cfg := synthConfig(model.ParamPos)
	a, err := Run(context.Background(), cfg, c, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Threads = 2
	b, err := Run(context.Background(), cfg, c, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Test != b.Test || a.Valid != b.Valid {
		t.Errorf("1 thread %+v, 2 threads %+v", a.Test, b.Test)
	}
	cfg.Model.Vocab = 50
	if _, err := Run(context.Background(), cfg, c, RunOptions{}); err == nil {
		t.Error("vocabulary mismatch accepted")
	}
}
