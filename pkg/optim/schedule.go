package optim

import (
	"fmt"
	"math"
)

// Cosine is the learning-rate schedule of the authors' runs: timm's
// CosineLRScheduler stepped per optimizer update (t_in_epochs=False,
// warmup_prefix=False, one cycle), docs/paper.md §6.1. At update t
// (0-based, the learning rate used by the (t+1)-th optimizer step):
//
//	t < Warmup:       lr(t) = WarmupInit + t·(Peak − WarmupInit)/Warmup
//	Warmup ≤ t < Total: lr(t) = Min + ½(Peak − Min)(1 + cos(π t/Total))
//	t ≥ Total:        lr(t) = Min
//
// The paper's run: Peak 1.5e-3, Min 0.1·Peak, WarmupInit 1e-6, Warmup 1 % of
// Total. As in timm without warmup_prefix, the cosine is a function of t
// counted from 0, so right after the warm-up it starts slightly below Peak.
type Cosine struct {
	Peak, Min, WarmupInit float64
	Warmup, Total         int
}

// Validate reports a schedule that cannot be evaluated.
func (c Cosine) Validate() error {
	switch {
	case !(c.Peak > 0) || math.IsInf(c.Peak, 0):
		return fmt.Errorf("optim: schedule: peak learning rate %v must be a finite number > 0", c.Peak)
	case !(c.Min >= 0) || c.Min > c.Peak:
		return fmt.Errorf("optim: schedule: lr_min %v must lie in [0, peak=%v]", c.Min, c.Peak)
	case !(c.WarmupInit >= 0) || c.WarmupInit > c.Peak:
		return fmt.Errorf("optim: schedule: warmup_lr_init %v must lie in [0, peak=%v]", c.WarmupInit, c.Peak)
	case c.Total < 1 || c.Warmup < 0 || c.Warmup > c.Total:
		return fmt.Errorf("optim: schedule: need 0 <= warmup (%d) <= total (%d) and total >= 1", c.Warmup, c.Total)
	}
	return nil
}

// At returns the learning rate for update t (0-based).
func (c Cosine) At(t int) float64 {
	if t < c.Warmup {
		return c.WarmupInit + float64(t)*(c.Peak-c.WarmupInit)/float64(c.Warmup)
	}
	if t >= c.Total {
		return c.Min
	}
	return c.Min + 0.5*(c.Peak-c.Min)*(1+math.Cos(math.Pi*float64(t)/float64(c.Total)))
}

// Integral returns Σ_{t<n} lr(t), the learning rate summed over the first n
// updates. Times AdamW's decoupled weight decay wd it is the total decay
// Σ lr·wd of a run, the number that says how far the decay has pulled the
// weights towards 0 (each update multiplies them by 1 − lr(t)·wd, so after
// n updates a weight without gradient is ≈ exp(−Σ lr·wd) of its start).
func (c Cosine) Integral(n int) float64 {
	s := 0.0
	for t := range n {
		s += c.At(t)
	}
	return s
}
