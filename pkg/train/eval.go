package train

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// Evaluate computes the mean NLL of model on windows without touching the
// gradients: all windows when maxWindows <= 0 or >= Count(), otherwise
// maxWindows windows spread evenly over the split (window ⌊i·n/maxWindows⌋),
// so that a capped evaluation still samples the whole split. Windows are
// fed batch at a time; every window contributes L predictions.
func Evaluate[T mamba.Float, E Token](model Model[T], w *Windows[E], batch, maxWindows int) (lmrun.Eval, error) {
	if batch < 1 {
		return lmrun.Eval{}, fmt.Errorf("train: evaluate: batch %d must be positive", batch)
	}
	n := w.Count()
	k := n
	if maxWindows > 0 && maxWindows < n {
		k = maxWindows
	}
	buf := make([]int32, batch*(w.L+1))
	var sum float64
	for start := 0; start < k; start += batch {
		b := min(batch, k-start)
		for j := 0; j < b; j++ {
			idx := start + j
			if k < n {
				idx = int(int64(idx) * int64(n) / int64(k))
			}
			w.Fill(buf[j*(w.L+1):(j+1)*(w.L+1)], idx)
		}
		loss, err := model.Loss(buf[:b*(w.L+1)], b, false, nil)
		if err != nil {
			return lmrun.Eval{}, fmt.Errorf("train: evaluate windows %d..%d: %w", start, start+b-1, err)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return lmrun.Eval{}, fmt.Errorf("train: evaluate windows %d..%d: loss is %v", start, start+b-1, loss)
		}
		sum += loss * float64(b)
	}
	return lmrun.NewEval(sum/float64(k), int64(k)*int64(w.L)), nil
}
