package train

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// Eval is the result of one evaluation pass.
//
//	NLL         mean negative log-likelihood per predicted token (nats)
//	Perplexity  exp(NLL), the paper's metric (docs/paper.md §6.1)
//	BitsPerByte NLL/ln 2: bits per byte for the byte-level corpora
//	Tokens      number of predicted tokens the mean is over
type Eval struct {
	NLL         float64 `json:"nll"`
	Perplexity  float64 `json:"perplexity"`
	BitsPerByte float64 `json:"bits_per_byte"`
	Tokens      int64   `json:"tokens"`
}

// NewEval fills the derived metrics from a mean NLL over tokens predictions.
func NewEval(nll float64, tokens int64) Eval {
	return Eval{NLL: nll, Perplexity: math.Exp(nll), BitsPerByte: nll / math.Ln2, Tokens: tokens}
}

// Evaluate computes the mean NLL of model on windows without touching the
// gradients: all windows when maxWindows <= 0 or >= Count(), otherwise
// maxWindows windows spread evenly over the split (window ⌊i·n/maxWindows⌋),
// so that a capped evaluation still samples the whole split. Windows are
// fed batch at a time; every window contributes L predictions.
func Evaluate[T mamba.Float, E Token](model Model[T], w *Windows[E], batch, maxWindows int) (Eval, error) {
	if batch < 1 {
		return Eval{}, fmt.Errorf("train: evaluate: batch %d must be positive", batch)
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
			return Eval{}, fmt.Errorf("train: evaluate windows %d..%d: %w", start, start+b-1, err)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return Eval{}, fmt.Errorf("train: evaluate windows %d..%d: loss is %v", start, start+b-1, loss)
		}
		sum += loss * float64(b)
	}
	return NewEval(sum/float64(k), int64(k)*int64(w.L)), nil
}
