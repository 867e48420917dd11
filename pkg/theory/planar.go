package theory

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// EigenSigns is the signature of μ = S_Cᵀ S_B in the 2-D experiment of the
// paper's Fig. 6 (docs/paper.md §4).
type EigenSigns int

const (
	// TwoPositive is case (A): two positive eigenvalues.
	TwoPositive EigenSigns = iota
	// OnePositive is case (B): one positive and one negative eigenvalue.
	OnePositive
	// TwoNegative is case (C): two negative eigenvalues.
	TwoNegative
)

func (e EigenSigns) String() string {
	switch e {
	case TwoPositive:
		return "(+,+)"
	case OnePositive:
		return "(+,-)"
	case TwoNegative:
		return "(-,-)"
	}
	return fmt.Sprintf("EigenSigns(%d)", int(e))
}

// Eigenvalues returns the eigenvalues of μ chosen for e: (1, 0.5),
// (1, -0.5) or (-1, -0.5).
func (e EigenSigns) Eigenvalues() [2]float64 {
	switch e {
	case TwoPositive:
		return [2]float64{1, 0.5}
	case OnePositive:
		return [2]float64{1, -0.5}
	}
	return [2]float64{-1, -0.5}
}

// NewPlanarSystem builds the D = N = 2 system used for Fig. 6. The
// paper's parameters are unknown, so these are ours (recorded here):
//
//	S_C = I₂, S_B = diag(λ₁, λ₂) with λ from e.Eigenvalues(), so that
//	  μ = S_Cᵀ S_B = diag(λ) and S_Cᵀ e^{sA_d} S_B = diag(λ_n e^{s A_{d,n}})
//	  keeps the signature of μ for every s ≥ 0 (as the §5.1 construction
//	  S_C = U, S_B = ΛU does);
//	A_{d,n} = -(0.5 + U[0,1)) for every channel d and state n;
//	S_Δ entries N(0, 0.5²); no bias.
func NewPlanarSystem(e EigenSigns, rng *rand.Rand) *System {
	lam := e.Eigenvalues()
	s := &System{D: 2, N: 2,
		SC:     []float64{1, 0, 0, 1},
		SB:     []float64{lam[0], 0, 0, lam[1]},
		SDelta: make([]float64, 4),
		A:      make([]float64, 4),
	}
	for i := range s.A {
		s.A[i] = -(0.5 + rng.Float64())
	}
	for i := range s.SDelta {
		s.SDelta[i] = 0.5 * rng.NormFloat64()
	}
	return s
}

// PlanarConfig sets up one panel of Fig. 6.
type PlanarConfig struct {
	Signs EigenSigns
	Seed  uint64
	// Tokens is L (default 30); the initial tokens are uniform in the disk
	// of radius Radius (default 1).
	Tokens int
	Radius float64
	// Horizon of the simulation (default 1e4) and the number of samples per
	// decade of the log grid (default 20).
	Horizon          float64
	SamplesPerDecade int
}

// Figure6 is the configuration of the panel of our Figure 6 (the artifact
// fig6-2d, notebook 05) with the given eigenvalue signs: seed 6, ten tokens
// in the unit disk, simulated to t = 1e4 with 40 samples per decade. The
// paper's own parameters are UNCONFIRMED (docs/paper.md §4); these are ours.
func Figure6(signs EigenSigns) PlanarConfig {
	return PlanarConfig{Signs: signs, Seed: 6, Tokens: 10, Radius: 1, Horizon: 1e4, SamplesPerDecade: 40}
}

// PlanarRun is one simulated panel of Fig. 6.
//
//	X0         (L, 2)  initial tokens
//	NormRatio  (L)     ‖x_l(End)‖ / ‖x_l(0)‖
type PlanarRun struct {
	Config     PlanarConfig
	System     *System
	X0         []float64
	Trajectory *Trajectory
	Spectrum   Spectrum
	NormRatio  []float64
	// Grown and Shrunk count the tokens whose norm at the end is at least
	// twice, or at most half, the initial one.
	Grown, Shrunk int
}

// Planar simulates one panel of the 2-D experiment (docs/paper.md §4, Fig. 6).
// This is an empirical illustration, not a theorem.
func Planar(cfg PlanarConfig) (*PlanarRun, error) {
	if cfg.Tokens == 0 {
		cfg.Tokens = 30
	}
	if cfg.Radius == 0 {
		cfg.Radius = 1
	}
	if cfg.Horizon == 0 {
		cfg.Horizon = 1e4
	}
	if cfg.SamplesPerDecade == 0 {
		cfg.SamplesPerDecade = 20
	}
	if cfg.Tokens < 1 || !(cfg.Radius > 0) || math.IsInf(cfg.Radius, 0) {
		return nil, fmt.Errorf("theory: planar: Tokens = %d and Radius = %v, want positive", cfg.Tokens, cfg.Radius)
	}
	if cfg.Signs < TwoPositive || cfg.Signs > TwoNegative {
		return nil, fmt.Errorf("theory: planar: unknown eigenvalue signs %d", int(cfg.Signs))
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(cfg.Signs)))
	sys := NewPlanarSystem(cfg.Signs, rng)
	x0 := make([]float64, 2*cfg.Tokens)
	for l := 0; l < cfg.Tokens; l++ {
		r := cfg.Radius * math.Sqrt(rng.Float64())
		th := 2 * math.Pi * rng.Float64()
		x0[2*l], x0[2*l+1] = r*math.Cos(th), r*math.Sin(th)
	}
	sp, err := sys.Spectrum()
	if err != nil {
		return nil, err
	}
	tr, err := sys.Simulate(x0, cfg.Horizon, &SimOptions{SamplesPerDecade: cfg.SamplesPerDecade})
	if err != nil {
		return nil, fmt.Errorf("theory: planar %v: %w", cfg.Signs, err)
	}
	run := &PlanarRun{Config: cfg, System: sys, X0: x0, Trajectory: tr, Spectrum: sp, NormRatio: make([]float64, cfg.Tokens)}
	for l := 0; l < cfg.Tokens; l++ {
		n0 := math.Hypot(x0[2*l], x0[2*l+1])
		n1 := math.Hypot(tr.XEnd[2*l], tr.XEnd[2*l+1])
		run.NormRatio[l] = n1 / n0
		if n1 >= 2*n0 {
			run.Grown++
		}
		if n1 <= 0.5*n0 {
			run.Shrunk++
		}
	}
	return run, nil
}
