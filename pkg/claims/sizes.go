package claims

// Sizes are the sizes at which the cheap checks run.
type Sizes struct {
	SweepPerScenario   int     `json:"sweep_per_scenario"`   // random 1-D instances per Table 1 scenario (theory.Sweep)
	SweepHorizon       float64 `json:"sweep_horizon"`        // simulated depth-time of each
	AgreementPerFamily int     `json:"agreement_per_family"` // random systems per family (theory.Agreement)
	AgreementHorizon   float64 `json:"agreement_horizon"`
	EulerLayers        []int   `json:"euler_layers"`   // the depths K of the Euler stacks (step h = 1/K)
	ParamDraws         int     `json:"param_draws"`    // random x_proj weights per parametrization
	SymmetrySeeds      int     `json:"symmetry_seeds"` // random LMs for the neg/pos symmetry
	Seed               uint64  `json:"seed"`           // of every random draw
	Workers            int     `json:"workers"`        // goroutines (no result depends on it)
}

// DefaultSizes are the ledger's sizes: reduced from the figures' (Table 1
// there simulates 10 000 instances per scenario at T = 1e8) so that the
// ledger builds in seconds, in CI too.
func DefaultSizes() Sizes {
	return Sizes{
		SweepPerScenario: 300, SweepHorizon: 1e8,
		AgreementPerFamily: 100, AgreementHorizon: 1e4,
		EulerLayers: []int{10, 20, 50, 100, 200, 500, 1000},
		ParamDraws:  50, SymmetrySeeds: 3, Seed: 1, Workers: 2,
	}
}

// QuickSizes are smoke sizes for tests: the same checks, fewer instances.
func QuickSizes() Sizes {
	s := DefaultSizes()
	s.SweepPerScenario, s.AgreementPerFamily, s.ParamDraws, s.SymmetrySeeds = 20, 12, 8, 1
	s.EulerLayers = []int{10, 20, 50, 100}
	return s
}
