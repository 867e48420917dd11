package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// tinyLM is the test model: a bigram softmax regression with a hidden
// embedding and dropout, written with analytic gradients. For a token x
// followed by y:
//
//	h = dropout(E[x])         (H)
//	z = W h + b               (V)
//	loss = logsumexp(z) − z_y
//
// It implements Model with the same contract as the Mamba LM.
type tinyLM[T mamba.Float] struct {
	V, H    int
	Dropout float64
	E, W, B *model.Param[T]
}

func newTiny[T mamba.Float](v, h int, dropout float64, seed uint64) *tinyLM[T] {
	rng := rand.New(rand.NewPCG(seed, seed))
	m := &tinyLM[T]{V: v, H: h, Dropout: dropout,
		E: model.NewParam[T]("backbone.embedding.weight", false, v, h),
		W: model.NewParam[T]("lm_head.weight", false, v, h),
		B: model.NewParam[T]("lm_head.bias", true, v),
	}
	for i := range m.E.W {
		m.E.W[i] = T(rng.NormFloat64())
	}
	for i := range m.W.W {
		m.W.W[i] = T(0.1 * rng.NormFloat64())
	}
	return m
}

func (m *tinyLM[T]) Params() []*model.Param[T] { return []*model.Param[T]{m.E, m.W, m.B} }

func (m *tinyLM[T]) Loss(tokens []int32, batch int, train bool, rng *rand.Rand) (float64, error) {
	if batch < 1 || len(tokens)%batch != 0 || len(tokens)/batch < 2 {
		return 0, fmt.Errorf("tiny: %d tokens do not form %d sequences of length >= 2", len(tokens), batch)
	}
	seq := len(tokens) / batch
	count := float64(batch * (seq - 1))
	h := make([]float64, m.H)
	mask := make([]float64, m.H)
	z := make([]float64, m.V)
	var total float64
	for b := 0; b < batch; b++ {
		for l := 0; l+1 < seq; l++ {
			x, y := int(tokens[b*seq+l]), int(tokens[b*seq+l+1])
			if x < 0 || x >= m.V || y < 0 || y >= m.V {
				return 0, fmt.Errorf("tiny: token out of range")
			}
			for k := range h {
				mask[k] = 1
				if train && m.Dropout > 0 {
					if rng.Float64() < m.Dropout {
						mask[k] = 0
					} else {
						mask[k] = 1 / (1 - m.Dropout)
					}
				}
				h[k] = float64(m.E.W[x*m.H+k]) * mask[k]
			}
			zmax := math.Inf(-1)
			for v := range z {
				s := float64(m.B.W[v])
				for k := range h {
					s += float64(m.W.W[v*m.H+k]) * h[k]
				}
				z[v] = s
				zmax = max(zmax, s)
			}
			var se float64
			for _, s := range z {
				se += math.Exp(s - zmax)
			}
			lse := zmax + math.Log(se)
			total += lse - z[y]
			if !train {
				continue
			}
			for v := range z {
				d := math.Exp(z[v]-lse) / count
				if v == y {
					d -= 1 / count
				}
				m.B.G[v] += T(d)
				for k := range h {
					m.W.G[v*m.H+k] += T(d * h[k])
					m.E.G[x*m.H+k] += T(d * float64(m.W.W[v*m.H+k]) * mask[k])
				}
			}
		}
	}
	return total / count, nil
}

// bigramStream draws n tokens from a fixed random bigram chain over v
// symbols, so that a bigram model can learn it well below ln v nats.
func bigramStream(n, v int, seed uint64) []uint8 {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	next := make([][]int, v)
	for i := range next {
		next[i] = []int{rng.IntN(v), rng.IntN(v)}
	}
	out := make([]uint8, n)
	for i := 1; i < n; i++ {
		c := next[out[i-1]]
		out[i] = uint8(c[rng.IntN(2)])
		if rng.Float64() < 0.05 {
			out[i] = uint8(rng.IntN(v))
		}
	}
	return out
}
