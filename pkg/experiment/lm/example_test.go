package lm_test

import (
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
)

// The design of the LM experiment (pre-registered in docs/prereg/lm.md): one
// depth, the arms of refinement 1 at two total weight decays, the D₀ = 0
// arms of the symmetry, paired seeds; every job is one configured run
// (Result.Runs has them in this order).
func ExampleDefault() {
	s := lm.Default()
	var depths, arms []string
	for _, d := range s.Depths {
		depths = append(depths, d.Name())
	}
	for _, a := range s.Arms {
		wd := s.Base.Train.WeightDecay
		if a.WeightDecay > 0 {
			wd = a.WeightDecay
		}
		arms = append(arms, fmt.Sprintf("%s (%s, D₀ %d, wd %g)", a.Name, a.Param, map[bool]int{false: 1, true: 0}[a.ZeroSkip], wd))
	}
	fmt.Println("depths:", strings.Join(depths, ", "))
	fmt.Println("arms:", strings.Join(arms, "; "))
	jobs := s.Jobs()
	fmt.Println(len(jobs), "runs; the first:", s.JobName(jobs[0]), "with", s.Base.Train.Steps, "updates of", s.Base.Train.Batch, "×", s.Base.Data.SeqLen, "bytes")
	// Output:
	// depths: 8x48
	// arms: neg (neg, D₀ 1, wd 0.25); pos (pos, D₀ 1, wd 0.25); none (none, D₀ 1, wd 0.25); mixed (mixed, D₀ 1, wd 0.25); neg-wd (neg, D₀ 1, wd 2.8); pos-wd (pos, D₀ 1, wd 2.8); none-wd (none, D₀ 1, wd 2.8); neg-d0 (neg, D₀ 0, wd 0.25); pos-d0 (pos, D₀ 0, wd 0.25)
	// 90 runs; the first: 8x48 neg seed 101 with 2000 updates of 4 × 256 bytes
}
