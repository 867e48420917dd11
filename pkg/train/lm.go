package train

import (
	"fmt"
	"math/rand/v2"
	"runtime"

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
func NewLM(cfg model.LMConfig, seed uint64, threads int) (*model.LM[float32], error) {
	m, err := model.NewLM[float32](cfg, rand.New(rand.NewPCG(seed, initStream)))
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	m.SetWorkers(threads)
	return m, nil
}
