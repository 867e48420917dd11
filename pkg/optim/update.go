package optim

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// ApplyUpdate finishes one optimizer update (step 5 of Loop.Step, the
// loop Trainer and pkg/experiment/reorder drive): given the losses of the
// update's len(losses) micro-batches, whose gradients have been summed
// into the G of ps, it checks every loss is finite, averages the
// gradients over the micro-batches, checks the global gradient norm is
// finite, clips it to clip (0: no clipping) and applies opt at learning
// rate lr. It returns the mean loss and the gradient norm before clipping.
//
//	losses  (accum)  one per micro-batch, accum ≥ 1
func ApplyUpdate[T mamba.Float](opt *AdamW[T], ps []*model.Param[T], losses []float64, clip, lr float64) (mean, norm float64, err error) {
	if len(losses) == 0 {
		return 0, 0, fmt.Errorf("optim: update without micro-batches")
	}
	for j, l := range losses {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return 0, 0, fmt.Errorf("micro-batch %d: training loss is %v", j, l)
		}
		mean += l
	}
	mean /= float64(len(losses))
	if len(losses) > 1 {
		ScaleGrads(ps, 1/float64(len(losses)))
	}
	norm = GradNorm(ps)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return 0, 0, fmt.Errorf("gradient norm is %v", norm)
	}
	if clip > 0 {
		ClipGradNorm(ps, clip)
	}
	if err := opt.Update(lr); err != nil {
		return 0, 0, err
	}
	return mean, norm, nil
}
