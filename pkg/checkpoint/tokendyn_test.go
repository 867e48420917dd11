package checkpoint

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// writeTokendyn saves a float32 LM of the tiny preset with parametrization
// param the way tokendyn train does.
func writeTokendyn(t *testing.T, dir, param string) *model.LM[float32] {
	t.Helper()
	// The model and data parts of the run configuration tokendyn train
	// stores (pkg/lmrun.Config; this package reads only these two).
	var cfg struct {
		Model model.LMConfig `json:"model"`
		Data  struct {
			Name   string `json:"name"`
			SeqLen int    `json:"seq_len"`
		} `json:"data"`
	}
	cfg.Model = model.LMConfig{DModel: 16, NLayer: 2, Vocab: 96, DState: 4, DConv: 4, Expand: 2, Param: param}
	cfg.Data.Name, cfg.Data.SeqLen = "gcide", 32
	m, err := model.NewLM[float32](cfg.Model, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	opt, err := optim.NewAdamW(m.Params(), 0.9, 0.999, 1e-8, 0)
	if err != nil {
		t.Fatal(err)
	}
	cj, _ := json.Marshal(cfg)
	state := struct {
		Step int `json:"step"`
	}{}
	if err := SaveTraining(dir, opt, state, struct{}{}, map[string]string{"tokendyn.config": string(cj)}, MambaLMAliases()); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTokendynLayout opens a checkpoint written by the training code with
// the pos parametrization: the effective x_proj is reconstructed from the
// raw tensor, μ is positive semi-definite (refinement 1's guarantee), and
// the float64 model reproduces the float32 model's logits.
func TestTokendynLayout(t *testing.T) {
	dir := t.TempDir()
	m := writeTokendyn(t, dir, model.ParamPos)
	ck, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	if ck.Config.Layout != Tokendyn || ck.Config.Param != model.ParamPos || ck.Config.Data != "gcide" || ck.Config.Vocab != 96 {
		t.Fatalf("config %+v", ck.Config)
	}
	for i := 0; i < 2; i++ {
		l, err := ck.Layer(i)
		if err != nil {
			t.Fatal(err)
		}
		want, _, _, _ := m.EffectiveXProj(i)
		for j, w := range want {
			if math.Abs(l.XProj[j]-float64(w)) > 1e-6*(1+math.Abs(float64(w))) {
				t.Fatalf("layer %d x_proj[%d] = %v, want %v", i, j, l.XProj[j], w)
			}
		}
		rep, err := Report(l)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Negative != 0 || rep.Complex != 0 || rep.Semidefinite != "positive" || rep.AlignedChannels == nil || *rep.AlignedChannels != rep.D.Positive {
			t.Errorf("layer %d (pos): %+v", i, rep)
		}
	}
	lm, err := ck.LoadLM()
	if err != nil {
		t.Fatal(err)
	}
	toks := []int32{40, 41, 0, 95, 12, 12, 70}
	a, _ := m.Logits(toks, 1)
	b, _ := lm.Logits(toks, 1)
	for i := range a {
		if math.Abs(float64(a[i])-b[i]) > 1e-4 {
			t.Fatalf("logit %d: float32 %v, float64 %v", i, a[i], b[i])
		}
	}
}
