package lm

import (
	"fmt"
	"math"
	"slices"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Arm is one setting compared by the experiment: an x_proj parametrization
// of refinement 1, the initial skip D and, where it differs from the base
// configuration's, the weight decay.
type Arm struct {
	Name     string `json:"name"`
	Param    string `json:"param"`               // none, pos, neg or mixed (model.ParametrizeXProj)
	ZeroSkip bool   `json:"zero_skip,omitempty"` // D₀ = 0 instead of Mamba's 1
	// WeightDecay replaces Base.Train.WeightDecay when > 0 (0: the base's).
	WeightDecay float64 `json:"weight_decay,omitempty"`
}

// The arms of Default, by name.
const (
	ArmNeg   = "neg"    // the convergent scenario: μ negative semidefinite
	ArmPos   = "pos"    // refinement 1: μ positive semidefinite
	ArmNone  = "none"   // the unconstrained Mamba
	ArmMixed = "mixed"  // N/2 positive and N/2 negative eigenvalues
	ArmNegD0 = "neg-d0" // neg with D₀ = 0
	ArmPosD0 = "pos-d0" // pos with D₀ = 0
)

// StandardArms returns every arm the experiment knows, in the order of the
// paper's argument (the convergent scenario first).
func StandardArms() []Arm {
	return []Arm{
		{Name: ArmNeg, Param: model.ParamNeg}, {Name: ArmPos, Param: model.ParamPos},
		{Name: ArmNone, Param: model.ParamNone}, {Name: ArmMixed, Param: model.ParamMixed},
		{Name: ArmNegD0, Param: model.ParamNeg, ZeroSkip: true}, {Name: ArmPosD0, Param: model.ParamPos, ZeroSkip: true},
	}
}

// Depth is one model shape of the depth sweep: the theory treats depth as
// time, so deeper stacks give the dynamics more time to act.
type Depth struct {
	DModel int `json:"d_model"`
	NLayer int `json:"n_layer"`
}

// Name is "LxD", e.g. "8x48".
func (d Depth) Name() string { return fmt.Sprintf("%dx%d", d.NLayer, d.DModel) }

// Spec is one experiment: Base trained once per (depth, arm, seed), with
// d_model and n_layer from the depth, the parametrization and D₀ from the
// arm, and the seed for both the initial weights and the data order, so
// every arm of a seed starts from the same draws and sees the same batches.
type Spec struct {
	Name   string       `json:"name"`
	Base   lmrun.Config `json:"base"`
	Depths []Depth      `json:"depths"`
	Arms   []Arm        `json:"arms"`
	Seeds  []uint64     `json:"seeds"`
	// Parallel is the number of runs trained at once (each with
	// Base.Threads goroutines). It changes no result.
	Parallel int `json:"parallel"`
	// Prereg is the pre-registration that decides the experiment, a path
	// relative to the repository root ("" for a design without one, which
	// the older verdict rule experiment.Rule decides). It is the decision
	// rule, not the computation: it enters neither the stored result nor
	// the cache key.
	Prereg string `json:"-"`
}

// Job is one run of a Spec: indices into Depths and Arms, the seed, and
// the run's configuration.
type Job struct {
	Depth, Arm int
	Seed       uint64
	Config     lmrun.Config
}

// JobName is "DEPTH ARM seed N".
func (s Spec) JobName(j Job) string {
	return fmt.Sprintf("%s %s seed %d", s.Depths[j.Depth].Name(), s.Arms[j.Arm].Name, j.Seed)
}

// Jobs lists the runs in a fixed order: depth, seed, arm (Result.Runs'
// order).
func (s Spec) Jobs() []Job {
	var out []Job
	for di, d := range s.Depths {
		for _, seed := range s.Seeds {
			for ai, a := range s.Arms {
				c := s.Base
				c.Model.DModel, c.Model.NLayer = d.DModel, d.NLayer
				c.Model.Param, c.Model.ZeroSkip = a.Param, a.ZeroSkip
				if a.WeightDecay > 0 {
					c.Train.WeightDecay = a.WeightDecay
				}
				c.Seed, c.Train.Seed = seed, seed
				out = append(out, Job{Depth: di, Arm: ai, Seed: seed, Config: c})
			}
		}
	}
	return out
}

// Validate checks the specification and every run's configuration.
func (s Spec) Validate() error {
	if s.Name == "" {
		return fmt.Errorf("lm: experiment without a name")
	}
	if len(s.Depths) == 0 || len(s.Arms) == 0 || len(s.Seeds) == 0 {
		return fmt.Errorf("lm: experiment %s needs depths, arms and seeds", s.Name)
	}
	if s.Parallel < 0 {
		return fmt.Errorf("lm: experiment %s: parallel %d must be >= 0", s.Name, s.Parallel)
	}
	seen := map[string]bool{}
	for _, a := range s.Arms {
		if a.Name == "" || seen[a.Name] {
			return fmt.Errorf("lm: experiment %s: arm name %q empty or repeated", s.Name, a.Name)
		}
		if !(a.WeightDecay >= 0) || math.IsInf(a.WeightDecay, 0) {
			return fmt.Errorf("lm: experiment %s: arm %s: weight decay %v must be a finite number >= 0", s.Name, a.Name, a.WeightDecay)
		}
		seen[a.Name] = true
	}
	for i, seed := range s.Seeds {
		if slices.Contains(s.Seeds[:i], seed) {
			return fmt.Errorf("lm: experiment %s: seed %d repeated", s.Name, seed)
		}
	}
	for _, j := range s.Jobs() {
		if err := j.Config.Validate(); err != nil {
			return fmt.Errorf("lm: experiment %s, %s: %w", s.Name, s.Arms[j.Arm].Name, err)
		}
	}
	return nil
}

// pick returns the arms of StandardArms with the given names, in that order.
func pick(names ...string) []Arm {
	var out []Arm
	for _, n := range names {
		for _, a := range StandardArms() {
			if a.Name == n {
				out = append(out, a)
			}
		}
	}
	return out
}
