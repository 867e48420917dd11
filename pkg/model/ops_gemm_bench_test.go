package model

import (
	"fmt"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// BenchmarkSgemmShapes times the float32 products of one training step of the
// benchmark LM (d_model 80, d_inner 160, dt_rank 5, N 16, vocabulary 96,
// M = 8·256 rows) on GOMAXPROCS goroutines and reports GFLOP/s (2mnk per
// product). fwd is y = x Wᵀ, gx is ∂x = ∂y W, gw is ∂W = ∂yᵀ x.
func BenchmarkSgemmShapes(b *testing.B) {
	const mm = 2048
	for _, s := range []struct {
		name    string
		in, out int
	}{{"in_proj", 80, 320}, {"x_proj", 160, 37}, {"dt_proj", 5, 160}, {"out_proj", 160, 80}, {"head", 80, 96}} {
		rng := gradcheck.NewRNG(1)
		x := gradcheck.F32(gradcheck.RandVec(rng, mm*s.in, 1))
		w := gradcheck.F32(gradcheck.RandVec(rng, s.out*s.in, 1))
		y := gradcheck.F32(gradcheck.RandVec(rng, mm*s.out, 1))
		for _, op := range []string{"fwd", "gx", "gw"} {
			b.Run(fmt.Sprintf("%s/%s", s.name, op), func(b *testing.B) {
				for b.Loop() {
					switch op {
					case "fwd":
						linearForward(mm, s.in, s.out, x, s.in, w, nil, y, s.out)
					case "gx":
						linearBackward(mm, s.in, s.out, nil, s.in, w, y, s.out, nil, nil, x, s.in, false)
					case "gw":
						linearBackward(mm, s.in, s.out, x, s.in, nil, y, s.out, w, nil, nil, s.in, false)
					}
				}
				b.ReportMetric(2*float64(mm*s.in*s.out)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
