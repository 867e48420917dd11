package runner

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// LinearBaseline is the reference a vision model must beat: a linear
// classifier (softmax regression, logits = W·x + b, W of shape C × L·F) on
// the very tokens the Mamba classifier reads (tok: every image as L·F
// values), trained from zero weights with the specification's optimizer
// and budget (AdamW, its cosine schedule, epochs, batch, clipping and
// weight decay, W decayed and b exempt as in timm's groups), the data order
// drawn from seed. It returns the test accuracy.
func LinearBaseline(ctx context.Context, d *reorder.Data, tok reorder.Tokens, spec reorder.Spec, seed uint64) (float64, error) {
	n, lf, c := len(d.TrainLab), tok.L*tok.F, d.Classes
	if n == 0 || len(tok.Train) != n*lf || len(tok.Test) != len(d.TestLab)*lf || c < 2 {
		return 0, fmt.Errorf("reorder: linear baseline: %d training images, %d and %d token values, %d classes", n, len(tok.Train), len(tok.Test), c)
	}
	w := model.NewParam[float64]("linear.weight", false, c, lf)
	b := model.NewParam[float64]("linear.bias", true, c)
	ps := []*model.Param[float64]{w, b}
	if err := optim.DecayGroups(ps, model.DecayTimm); err != nil {
		return 0, err
	}
	opt, err := optim.NewAdamW(ps, 0.9, 0.999, 1e-8, spec.WeightDecay)
	if err != nil {
		return 0, err
	}
	spe := (n + spec.Batch - 1) / spec.Batch
	total := spe * spec.Epochs
	order := optim.NewOrder(n, seed)
	x := make([]float32, spec.Batch*lf)
	y := make([]int32, spec.Batch)
	m := 0
	loop := &optim.Loop[float64]{
		Opt: opt, Params: ps, Sched: reorderSchedule(spec, total), Steps: total, Accum: 1, Clip: spec.Clip, Seed: seed,
		Name: fmt.Sprintf("reorder: linear baseline, %d tokens, seed %d", tok.L, seed),
		Batches: optim.BatchFunc(func(update, _ int) {
			m = cutImages(update, spe, spec.Batch, order, tok.Train, d.TrainLab, x, y)
		}),
		Loss: func(_, _ int, _ *rand.Rand) (float64, error) {
			return linearLoss(w.W, b.W, x[:m*lf], y[:m], c, w.G, b.G), nil
		},
	}
	if err := loop.Run(ctx); err != nil {
		return 0, err
	}
	right := 0
	z := make([]float64, c)
	for i, label := range d.TestLab {
		linearLogits(w.W, b.W, tok.Test[i*lf:(i+1)*lf], z)
		best := 0
		for k := range z {
			if z[k] > z[best] {
				best = k
			}
		}
		if int32(best) == label {
			right++
		}
	}
	return float64(right) / float64(len(d.TestLab)), nil
}

// linearLogits writes z = W·x + b (W row-major C × len(x)).
func linearLogits(w, b []float64, x []float32, z []float64) {
	f := len(x)
	for k := range z {
		s := b[k]
		row := w[k*f : (k+1)*f]
		for i, v := range x {
			s += row[i] * float64(v)
		}
		z[k] = s
	}
}

// linearLoss returns the mean cross-entropy of softmax(W·x_i + b) against
// y_i over the len(y) rows of x, and adds its gradient to gw and gb.
func linearLoss(w, b []float64, x []float32, y []int32, c int, gw, gb []float64) float64 {
	n := len(y)
	f := len(x) / n
	z := make([]float64, c)
	loss := 0.0
	for i := range n {
		xi := x[i*f : (i+1)*f]
		linearLogits(w, b, xi, z)
		top := math.Inf(-1)
		for _, v := range z {
			top = math.Max(top, v)
		}
		sum := 0.0
		for k := range z {
			z[k] = math.Exp(z[k] - top)
			sum += z[k]
		}
		loss -= math.Log(z[y[i]] / sum)
		for k := range z {
			g := z[k] / sum
			if int32(k) == y[i] {
				g--
			}
			g /= float64(n)
			gb[k] += g
			row := gw[k*f : (k+1)*f]
			for j, v := range xi {
				row[j] += g * float64(v)
			}
		}
	}
	return loss / float64(n)
}
