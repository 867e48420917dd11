package lm_test

import (
	"fmt"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
)

// The design of the LM experiment: depths of matched parameter count, the
// arms of refinement 1 and the D₀ = 0 arms of the symmetry, paired seeds;
// every job is one configured run (Result.Runs has them in this order).
func ExampleDefault() {
	s := lm.Default()
	var depths, arms []string
	for _, d := range s.Depths {
		depths = append(depths, d.Name())
	}
	for _, a := range s.Arms {
		arms = append(arms, fmt.Sprintf("%s (%s, D₀ = 0: %v)", a.Name, a.Param, a.ZeroSkip))
	}
	fmt.Println("depths:", strings.Join(depths, ", "))
	fmt.Println("arms:", strings.Join(arms, "; "))
	jobs := s.Jobs()
	fmt.Println(len(jobs), "runs; the first:", s.JobName(jobs[0]), "with", s.Base.Train.Steps, "updates of", s.Base.Train.Batch, "×", s.Base.Data.SeqLen, "bytes")
	// Output:
	// depths: 3x80, 8x48, 16x32
	// arms: neg (neg, D₀ = 0: false); pos (pos, D₀ = 0: false); none (none, D₀ = 0: false); neg-d0 (neg, D₀ = 0: true); pos-d0 (pos, D₀ = 0: true)
	// 75 runs; the first: 3x80 neg seed 1 with 600 updates of 4 × 256 bytes
}
