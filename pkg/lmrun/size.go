package lmrun

import (
	"fmt"

	"github.com/tokendyn/tokendyn/internal/membudget"
)

// EstimateBytes is a lower bound of the memory a run of cfg allocates: the
// float32 weights, gradients and both AdamW moments, plus one micro-batch's
// activations (per layer and token: the scan states of d_inner × d_state,
// about a dozen d_inner vectors and a few d_model ones; the logits and their
// gradient). It is -1 when the product overflows int64.
func EstimateBytes(cfg Config) int64 {
	m := cfg.Model
	d, nl := int64(m.DModel), int64(m.NLayer)
	di := int64(m.Expand)
	if di == 0 {
		di = 2
	}
	di = membudget.Mul(di, d)
	n, k, r, v := int64(m.DState), int64(m.DConv), int64(m.DtRank), int64(m.Vocab)
	if n == 0 {
		n = 16
	}
	if k == 0 {
		k = 4
	}
	if r == 0 {
		r = (d + 15) / 16
	}
	if v == 0 {
		v = 256 // the largest corpus vocabulary
	}
	add := func(xs ...int64) int64 {
		s := int64(0)
		for _, x := range xs {
			if x < 0 || s > (1<<63-1)-x {
				return -1
			}
			s += x
		}
		return s
	}
	perLayer := add(membudget.Mul(3, d, di), membudget.Mul(di, k+4+r+2*n+n), membudget.Mul(r, di))
	params := add(membudget.Mul(v, d), membudget.Mul(nl, perLayer), d)
	tokens := membudget.Mul(int64(cfg.Train.Batch), int64(cfg.Data.SeqLen)+1)
	act := add(membudget.Mul(tokens, nl, add(membudget.Mul(2, di, n), membudget.Mul(12, di), membudget.Mul(4, d))), membudget.Mul(2, tokens, v))
	return membudget.Mul(4, add(membudget.Mul(4, params), act))
}

// CheckSize refuses a configuration whose estimated memory (EstimateBytes)
// exceeds budget bytes, or whose thread count exceeds membudget.MaxThreads,
// with one line naming the sizes.
func CheckSize(cfg Config, budget int64) error {
	if cfg.Threads > membudget.MaxThreads {
		return fmt.Errorf("lmrun: threads %d: at most %d", cfg.Threads, membudget.MaxThreads)
	}
	need := EstimateBytes(cfg)
	what := fmt.Sprintf("lmrun: d_model %d, n_layer %d, d_state %d, d_conv %d, expand %d, batch %d × seq_len %d",
		cfg.Model.DModel, cfg.Model.NLayer, cfg.Model.DState, cfg.Model.DConv, cfg.Model.Expand, cfg.Train.Batch, cfg.Data.SeqLen)
	return membudget.Check(what, need, budget)
}
