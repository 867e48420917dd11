package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// trainBits returns the loss and every gradient of one training pass, as
// bits, after a first pass on other tokens (so reused buffers, the scan's
// tape and the rotating gradient buffers hold stale values).
func trainBits(t *testing.T, loss func(warm bool) (float64, error), zero func(), params []*Param[float32]) []uint32 {
	t.Helper()
	zero()
	if _, err := loss(true); err != nil {
		t.Fatal(err)
	}
	zero()
	l, err := loss(false)
	if err != nil {
		t.Fatal(err)
	}
	out := []uint32{uint32(math.Float64bits(l)), uint32(math.Float64bits(l) >> 32)}
	for _, p := range params {
		for _, g := range p.G {
			out = append(out, math.Float32bits(g))
		}
	}
	return out
}

// The fused batch-range passes (norm, mixer, scan and residual in one
// section; each block's weight gradients inside the next block's section)
// give the same bits for every number of workers: uneven ranges, more
// workers than sequences, and 1–4 layers (every parity of the backbone's
// three gradient buffers). N = 16 runs the float32 row kernels where the CPU
// has them.
func TestTrainingGradientsDoNotDependOnWorkers(t *testing.T) {
	for layers := 1; layers <= 4; layers++ {
		for _, batch := range []int{1, 3} {
			cfg := LMConfig{DModel: 24, NLayer: layers, Vocab: 19, DState: 16, Param: ParamPos}
			const nl = 21
			warm := randTokens(gradcheck.NewRNG(uint64(900+layers)), batch*(nl+1), cfg.Vocab)
			tokens := randTokens(gradcheck.NewRNG(uint64(950+layers)), batch*(nl+1), cfg.Vocab)
			var want []uint32
			for _, workers := range []int{1, 2, 3, 5} {
				m, err := NewLM[float32](cfg, gradcheck.NewRNG(77))
				if err != nil {
					t.Fatal(err)
				}
				m.SetWorkers(workers)
				got := trainBits(t, func(w bool) (float64, error) {
					if w {
						return m.Loss(warm, batch, true, nil)
					}
					return m.Loss(tokens, batch, true, nil)
				}, m.ZeroGrad, m.Params())
				if want == nil {
					want = got
					continue
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("LM %d layers, batch %d: %d workers differ from 1 at loss/gradient word %d", layers, batch, workers, i)
					}
				}
			}
		}
	}
	for _, mix := range []string{MixerMamba, MixerVision} {
		cfg := ClassifierConfig{DModel: 16, NLayer: 3, Features: 5, Classes: 3, DState: 16, Mixer: mix}
		const nb, nl = 3, 12
		rng := gradcheck.NewRNG(960)
		feat := make([]float32, 2*nb*nl*cfg.Features)
		for i := range feat {
			feat[i] = float32(rng.NormFloat64())
		}
		labels := []int32{0, 2, 1}
		var want []uint32
		for _, workers := range []int{1, 2, 4} {
			c, err := NewClassifier[float32](cfg, gradcheck.NewRNG(961))
			if err != nil {
				t.Fatal(err)
			}
			c.SetWorkers(workers)
			got := trainBits(t, func(w bool) (float64, error) {
				if w {
					return c.Loss(feat[len(feat)/2:], labels, nb, true, nil)
				}
				return c.Loss(feat[:len(feat)/2], labels, nb, true, nil)
			}, c.ZeroGrad, c.Params())
			if want == nil {
				want = got
				continue
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("classifier %s: %d workers differ from 1 at loss/gradient word %d", mix, workers, i)
				}
			}
		}
	}
}
