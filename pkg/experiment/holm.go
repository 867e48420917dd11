package experiment

import (
	"fmt"
	"math"
	"sort"
)

// Holm adjusts a family of k p-values by Holm's step-down procedure, which
// controls the family-wise error rate at α when every adjusted p-value is
// compared with α. With p_(1) ≤ … ≤ p_(k) the sorted values,
//
//	adj_(i) = max_{j ≤ i} min(1, (k − j + 1)·p_(j)),
//
// so adjusted ≥ raw, adjusted values are non-decreasing in the sorted
// order and at most 1. The result is in the order of p (adj[i] belongs to
// p[i]); ties keep their input order. An empty family gives an empty
// result; a value that is NaN or outside [0, 1] is an error.
func Holm(p []float64) ([]float64, error) {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("experiment: Holm: p-value %d is %v, want it in [0, 1]", i, v)
		}
	}
	k := len(p)
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] < p[order[b]] })
	adj := make([]float64, k)
	running := 0.0
	for j, i := range order {
		running = math.Max(running, math.Min(1, float64(k-j)*p[i]))
		adj[i] = running
	}
	return adj, nil
}
