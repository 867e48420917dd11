package reorder_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// The design of the reordering experiment: patch sizes (sequence lengths),
// arms, seeds, and the runs in Result.Runs order.
func ExampleDefault() {
	s := reorder.Default()
	for _, p := range s.Patches {
		fmt.Printf("patch %d: %d tokens\n", p, (28/p)*(28/p))
	}
	for _, a := range s.Arms {
		fmt.Println(a.Name+":", a.Short())
	}
	jobs := s.Jobs()
	fmt.Println(len(jobs), "runs; the first: patch", jobs[0].Patch, jobs[0].Arm.Name, "seed", jobs[0].Seed)
	// Output:
	// patch 4: 49 tokens
	// baseline: no reordering
	// reorder-tau1: reordering, τ = 1 (the authors')
	// reorder-hard: hard one-hot, τ = 1 (not the authors')
	// 30 runs; the first: patch 4 baseline seed 201
}
