package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/optim"
)

// The test model's analytic gradient must match central finite differences,
// otherwise the trainer tests below would test nothing.
func TestTinyGradientMatchesFiniteDifferences(t *testing.T) {
	for i, test := range []struct {
		dropout float64
		batch   int
	}{{0, 2}, {0.3, 3}} {
		m := newTiny[float64](5, 3, test.dropout, uint64(i+1))
		tokens := make([]int32, test.batch*6)
		rng := rand.New(rand.NewPCG(7, 7))
		for k := range tokens {
			tokens[k] = int32(rng.IntN(5))
		}
		loss := func() float64 {
			l, err := m.Loss(tokens, test.batch, true, rand.New(rand.NewPCG(3, 3)))
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		optim.ZeroGrads(m.Params())
		loss()
		var grads [][]float64
		for _, p := range m.Params() {
			grads = append(grads, append([]float64(nil), p.G...))
		}
		for pi, p := range m.Params() {
			g := grads[pi]
			for k := range p.W {
				const h = 1e-6
				w := p.W[k]
				p.W[k] = w + h
				lp := loss()
				p.W[k] = w - h
				lm := loss()
				p.W[k] = w
				fd := (lp - lm) / (2 * h)
				if math.Abs(fd-g[k]) > 1e-7*(1+math.Abs(fd)) {
					t.Errorf("case %d %s[%d]: analytic %v, finite difference %v", i, p.Name, k, g[k], fd)
				}
			}
		}
	}
}
