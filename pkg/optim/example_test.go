package optim_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// The authors' schedule for 22 500 updates: warm-up over the first 225
// from 1e-6, then a cosine from 1.5e-3 down to 1.5e-4.
func ExampleCosine() {
	c := optim.Cosine{Peak: 1.5e-3, Min: 1.5e-4, WarmupInit: 1e-6, Warmup: 225, Total: 22500}
	for _, t := range []int{0, 112, 225, 11250, 22499} {
		fmt.Printf("lr(%d) = %.4g\n", t, c.At(t))
	}
	// Output:
	// lr(0) = 1e-06
	// lr(112) = 0.0007472
	// lr(225) = 0.0015
	// lr(11250) = 0.000825
	// lr(22499) = 0.00015
}

// One AdamW update of a decayed weight: decay w·(1 − lr·λ), then the
// bias-corrected step lr·m̂/(√v̂ + ε), which is ≈ lr·sign(g) at the first
// update.
func ExampleAdamW() {
	w := model.NewParam[float64]("backbone.layers.0.mixer.in_proj.weight", false, 2)
	copy(w.W, []float64{1, -1})
	copy(w.G, []float64{0.5, -3})
	opt, _ := optim.NewAdamW([]*model.Param[float64]{w}, 0.9, 0.999, 1e-8, 0.1)
	opt.Update(0.01)
	fmt.Printf("%.6f %.6f\n", w.W[0], w.W[1])
	// Output:
	// 0.989000 -0.989000
}

// Global-norm clipping: the gradient (3, 4) has norm 5; clipped to 1 it
// becomes ≈ (0.6, 0.8).
func ExampleClipGradNorm() {
	p := model.NewParam[float64]("w", false, 2)
	copy(p.G, []float64{3, 4})
	norm := optim.ClipGradNorm([]*model.Param[float64]{p}, 1)
	fmt.Printf("norm %.1f -> (%.4f, %.4f)\n", norm, p.G[0], p.G[1])
	// Output:
	// norm 5.0 -> (0.6000, 0.8000)
}
