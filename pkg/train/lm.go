package train

import (
	"fmt"
	"math/rand/v2"
	"runtime"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// initStream separates the weight-initialisation random numbers from the
// data order and the dropout.
const initStream = 0x6a09e667f3bcc908

// NewLM builds the float32 Mamba LM of cfg with weights drawn from seed.
// The same seed gives the same draws for every parametrization (the raw
// x_proj tensor is drawn identically and mapped differently), so runs of
// different scenarios with one seed are paired. threads > 0 sets the scan's
// goroutines (0: GOMAXPROCS).
func NewLM(cfg ModelConfig, seed uint64, threads int) (*model.LM[float32], error) {
	m, err := model.NewLM[float32](cfg.LM(), rand.New(rand.NewPCG(seed, initStream)))
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	m.SetWorkers(threads)
	return m, nil
}

// Spectra returns the spectrum of μ = S_Cᵀ S_B for every layer of m, from
// the effective x_proj (reconstruction §5.1).
func Spectra[T mamba.Float](m *model.LM[T]) ([]LayerSpectrum, error) {
	cfg := m.Config()
	var out []LayerSpectrum
	for l := 0; l < cfg.NLayer; l++ {
		w, rows, cols, err := m.EffectiveXProj(l)
		if err != nil {
			return nil, fmt.Errorf("train: spectra: %w", err)
		}
		if rows != cfg.DtRank+2*cfg.DState {
			return nil, fmt.Errorf("train: spectra: layer %d x_proj has %d rows, want %d+2·%d", l, rows, cfg.DtRank, cfg.DState)
		}
		x := make([]float64, len(w))
		for i, v := range w {
			x[i] = float64(v)
		}
		s, err := MuSpectrum(x, cfg.DtRank, cfg.DState, cols)
		if err != nil {
			return nil, fmt.Errorf("train: spectra of layer %d: %w", l, err)
		}
		s.Layer = l
		out = append(out, s)
	}
	return out, nil
}
