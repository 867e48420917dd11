package checkpoint_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// Write a training checkpoint of a small LM (as tokendyn train does), open
// it as any checkpoint is opened, and report μ = S_Cᵀ S_B of each layer.
func Example() {
	dir, err := os.MkdirTemp("", "tokendyn-example-*")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	cfg := model.LMConfig{DModel: 16, NLayer: 2, Vocab: 96, DState: 4, DConv: 4, Expand: 2, Param: model.ParamNeg}
	m, err := model.NewLM[float32](cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	opt, _ := optim.NewAdamW(m.Params(), 0.9, 0.999, 1e-8, 0)
	run, _ := json.Marshal(map[string]any{"model": cfg, "data": map[string]any{"name": "gcide"}})
	state := map[string]int{"step": 0}
	if err := checkpoint.SaveTraining(dir, opt, state, map[string]any{}, map[string]string{"tokendyn.config": string(run)}, checkpoint.MambaLMAliases()); err != nil {
		fmt.Println(err)
		return
	}

	ck, err := checkpoint.Open(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ck.Close()
	fmt.Println("layout", ck.Config.Layout, "d_model", ck.Config.DModel, "d_inner", ck.Config.DInner, "N", ck.Config.DState, "param", ck.Config.Param)
	for i := 0; i < ck.Config.NLayer; i++ {
		l, err := ck.Layer(i)
		if err != nil {
			fmt.Println(err)
			return
		}
		r, err := checkpoint.Report(l)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("layer %d: μ has %d positive, %d negative eigenvalues, %d zeros; sym(μ) %s; %s\n",
			i, r.Positive, r.Negative, r.Zeros, r.Semidefinite, r.Scenario)
	}
	// Output:
	// layout tokendyn d_model 16 d_inner 32 N 4 param neg
	// layer 0: μ has 0 positive, 4 negative eigenvalues, 28 zeros; sym(μ) negative; convergent
	// layer 1: μ has 0 positive, 4 negative eigenvalues, 28 zeros; sym(μ) negative; convergent
}
