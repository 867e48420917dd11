package model

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// crossEntropy computes the mean cross-entropy of m rows of logits against
// integer targets, F.cross_entropy(logits, targets) with reduction "mean",
// and, when glogits is not nil, writes ∂loss/∂logits = (softmax − onehot)/m
// into it (glogits may alias logits). The exponentials are in T (mamba.ExpInto),
// the sums and the logarithm in float64.
//
//	logits   (m, v)
//	targets  (m)     in [0, v)
func crossEntropy[T Float](m, v int, logits []T, targets []int32, glogits []T) (float64, error) {
	if m == 0 {
		return 0, fmt.Errorf("model: cross-entropy: no rows")
	}
	var total float64
	inv := 1 / float64(m)
	var buf [ewBlock]T
	for i := 0; i < m; i++ {
		t := targets[i]
		if t < 0 || int(t) >= v {
			return 0, fmt.Errorf("model: cross-entropy: target %d at row %d is outside [0, %d)", t, i, v)
		}
		row := logits[i*v : (i+1)*v]
		mx := row[0]
		for _, x := range row {
			mx = max(mx, x)
		}
		// Σ exp(x − max) with the vectorized exponential, summed in float64.
		var se float64
		for j0 := 0; j0 < v; j0 += ewBlock {
			e := buf[:min(ewBlock, v-j0)]
			for j := range e {
				e[j] = row[j0+j] - mx
			}
			mamba.ExpInto(e, e)
			for _, x := range e {
				se += float64(x)
			}
		}
		lse := float64(mx) + math.Log(se)
		total += lse - float64(row[t])
		if glogits != nil {
			g := glogits[i*v : (i+1)*v]
			scale := T(inv / se)
			for j0 := 0; j0 < v; j0 += ewBlock {
				e := buf[:min(ewBlock, v-j0)]
				for j := range e {
					e[j] = row[j0+j] - mx
				}
				mamba.ExpInto(e, e)
				for j, x := range e {
					g[j0+j] = x * scale
				}
			}
			g[t] -= T(inv)
		}
	}
	loss := total * inv
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fmt.Errorf("model: cross-entropy: loss is %v (non-finite logits)", loss)
	}
	return loss, nil
}
