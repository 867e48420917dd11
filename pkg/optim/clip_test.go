package optim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
)

func randomGrads(seed uint64, scale float64) []*model.Param[float64] {
	rng := rand.New(rand.NewPCG(seed, seed))
	var ps []*model.Param[float64]
	for i, n := range []int{3, 7, 1} {
		p := model.NewParam[float64]("p"+string(rune('a'+i)), false, n)
		for k := range p.G {
			p.G[k] = scale * rng.NormFloat64()
		}
		ps = append(ps, p)
	}
	return ps
}

func TestClipGradNormInvariants(t *testing.T) {
	for i, test := range []struct {
		scale, max float64
	}{{10, 1}, {0.01, 1}, {3, 0.5}, {1e3, 2}} {
		ps := randomGrads(uint64(i+1), test.scale)
		before := make([][]float64, len(ps))
		for k, p := range ps {
			before[k] = append([]float64(nil), p.G...)
		}
		n0 := GradNorm(ps)
		got := ClipGradNorm(ps, test.max)
		if got != n0 {
			t.Errorf("case %d: returned %v, want the norm before clipping %v", i, got, n0)
		}
		n1 := GradNorm(ps)
		if n0 <= test.max {
			if n1 != n0 {
				t.Errorf("case %d: norm %v <= max %v but gradients changed", i, n0, test.max)
			}
			continue
		}
		// The clipped norm is max·n0/(n0+1e-6), and the direction is kept.
		if want := test.max * n0 / (n0 + 1e-6); math.Abs(n1-want) > 1e-12*want {
			t.Errorf("case %d: clipped norm %v, want %v", i, n1, want)
		}
		for k, p := range ps {
			for j, g := range p.G {
				if r := g / before[k][j]; math.Abs(r-n1/n0) > 1e-12 {
					t.Errorf("case %d: element scaled by %v, want %v", i, r, n1/n0)
				}
			}
		}
	}
}

func TestClipLeavesNonFiniteAlone(t *testing.T) {
	ps := randomGrads(9, 1)
	ps[1].G[2] = math.NaN()
	if n := ClipGradNorm(ps, 1); !math.IsNaN(n) {
		t.Fatalf("norm = %v, want NaN", n)
	}
	if ps[0].G[0] == 0 || math.IsNaN(ps[0].G[0]) {
		t.Fatalf("gradients modified")
	}
}
