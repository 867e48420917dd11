package model_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// A tiny Mamba language model with the positive-eigenvalue parametrization
// of x_proj (refinement 1): one training step with plain SGD lowers the
// loss on a fixed batch, and μ = S_Cᵀ S_B of every layer has N positive
// eigenvalues and no negative one.
func ExampleLM() {
	cfg := model.LMConfig{DModel: 16, NLayer: 2, Vocab: 10, DState: 4, Param: model.ParamPos}
	m, err := model.NewLM[float64](cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two sequences of L+1 = 9 tokens: inputs are the first 8, targets the last 8.
	tokens := []int32{
		1, 2, 3, 4, 5, 6, 7, 8, 9,
		9, 8, 7, 6, 5, 4, 3, 2, 1,
	}
	before, _ := m.Loss(tokens, 2, false, nil)
	m.ZeroGrad()
	if _, err := m.Loss(tokens, 2, true, nil); err != nil { // forward + backward into G
		fmt.Println(err)
		return
	}
	for _, p := range m.Params() {
		for i, g := range p.G {
			p.W[i] -= 0.1 * g
		}
	}
	after, _ := m.Loss(tokens, 2, false, nil)
	fmt.Printf("initial loss ≈ ln 10: %v\n", math.Abs(before-math.Log(10)) < 0.05)
	fmt.Printf("one SGD step lowers the loss: %v\n", after < before)

	eff, rows, cols, _ := m.EffectiveXProj(0)
	fmt.Printf("effective x_proj of layer 0: %d×%d (dt_rank %d + 2·%d, d_inner %d)\n",
		rows, cols, m.Config().DtRank, cfg.DState, cols)
	mu, _ := model.XProjMu(eff, m.Config().DtRank, cfg.DState, cols)
	// S_Cᵀ S_B is symmetric positive semidefinite: xᵀ μ x ≥ 0.
	x := make([]float64, cols)
	for i := range x {
		x[i] = math.Sin(float64(i))
	}
	var q float64
	for i := 0; i < cols; i++ {
		for j := 0; j < cols; j++ {
			q += x[i] * mu[i*cols+j] * x[j]
		}
	}
	fmt.Printf("xᵀ S_Cᵀ S_B x > 0: %v\n", q > 0)
	// Output:
	// initial loss ≈ ln 10: true
	// one SGD step lowers the loss: true
	// effective x_proj of layer 0: 9×32 (dt_rank 1 + 2·4, d_inner 32)
	// xᵀ S_Cᵀ S_B x > 0: true
}

// A classifier whose first layer is the authors' MambaVision mixer with token
// reordering (refinement 2): the importance scores s and the SoftSort matrix
// P̂ of −s. Each row of P̂ sums to 1 and peaks on the token with the k-th
// smallest score, so the most important token goes last.
func ExampleClassifier_Reordering() {
	cfg := model.ClassifierConfig{
		DModel: 8, NLayer: 2, Features: 3, Classes: 2, DState: 4,
		Mixer: model.MixerVision, ReorderLayers: []int{0},
	}
	c, err := model.NewClassifier[float64](cfg, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	const L = 5
	rng := rand.New(rand.NewPCG(3, 3))
	features := make([]float64, L*cfg.Features) // one sequence (B=1, L=5, F=3)
	for i := range features {
		features[i] = rng.NormFloat64()
	}
	s, p, err := c.Reordering(features, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	order := make([]int, L) // the token each row of P̂ picks
	for k := 0; k < L; k++ {
		var sum float64
		for l := 0; l < L; l++ {
			sum += p[k*L+l]
			if p[k*L+l] > p[k*L+order[k]] {
				order[k] = l
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			fmt.Println("row", k, "sums to", sum)
		}
	}
	ascending := true
	for k := 1; k < L; k++ {
		ascending = ascending && s[order[k-1]] <= s[order[k]]
	}
	fmt.Println("rows pick tokens by ascending importance:", ascending)
	// Output:
	// rows pick tokens by ascending importance: true
}
