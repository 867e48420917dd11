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
	return crossEntropyW(1, m, v, logits, targets, glogits)
}

// crossEntropyW is crossEntropy with the rows split over at most workers
// goroutines; the per-row losses are summed in row order, so the result
// does not depend on workers.
func crossEntropyW[T Float](workers, m, v int, logits []T, targets []int32, glogits []T) (float64, error) {
	if m == 0 {
		return 0, fmt.Errorf("model: cross-entropy: no rows")
	}
	for i, t := range targets[:m] {
		if t < 0 || int(t) >= v {
			return 0, fmt.Errorf("model: cross-entropy: target %d at row %d is outside [0, %d)", t, i, v)
		}
	}
	inv := 1 / float64(m)
	rowLoss := make([]float64, m)
	forBatches(m, workers, func(i0, i1, _ int) {
		var buf [ewBlock]T
		for i := i0; i < i1; i++ {
			t := targets[i]
			row := logits[i*v : (i+1)*v]
			mx := row[0]
			for _, x := range row {
				mx = max(mx, x)
			}
			// Σ exp(x − max) with the vectorized exponential, summed in float64.
			var se float64
			for j0 := 0; j0 < v; j0 += ewBlock {
				e := shiftedExp(buf[:], row[j0:min(j0+ewBlock, v)], mx)
				for _, x := range e {
					se += float64(x)
				}
			}
			lse := float64(mx) + math.Log(se)
			rowLoss[i] = lse - float64(row[t])
			if glogits != nil {
				g := glogits[i*v : (i+1)*v]
				scale := T(inv / se)
				for j0 := 0; j0 < v; j0 += ewBlock {
					e := shiftedExp(buf[:], row[j0:min(j0+ewBlock, v)], mx)
					for j, x := range e {
						g[j0+j] = x * scale
					}
				}
				g[t] -= T(inv)
			}
		}
	})
	var total float64
	for _, l := range rowLoss {
		total += l
	}
	loss := total * inv
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fmt.Errorf("model: cross-entropy: loss is %v (non-finite logits)", loss)
	}
	return loss, nil
}

// shiftedExp sets buf[j] = e^(x[j] − mx) for the block x (len(x) ≤
// len(buf)) with the vectorized exponential and returns buf[:len(x)]. The
// forward and the backward of the cross-entropy recompute it blockwise
// rather than store a (rows, V) array.
func shiftedExp[T Float](buf, x []T, mx T) []T {
	e := buf[:len(x)]
	for j, v := range x {
		e[j] = v - mx
	}
	mamba.ExpInto(e, e)
	return e
}
