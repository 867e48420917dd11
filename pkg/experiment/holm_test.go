package experiment

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// Closed forms, worked by hand from adj_(i) = max_{j≤i} min(1, (k−j+1)·p_(j)).
func TestHolmClosedForms(t *testing.T) {
	for _, c := range []struct{ p, want []float64 }{
		{[]float64{}, []float64{}},
		{[]float64{0.03}, []float64{0.03}},
		{[]float64{0.01, 0.04, 0.03}, []float64{0.03, 0.06, 0.06}},           // 3·0.01, max(0.06, 2·0.03), max(0.06, 0.04)
		{[]float64{0.04, 0.01, 0.03, 0.2}, []float64{0.09, 0.04, 0.09, 0.2}}, // sorted 0.01, 0.03, 0.04, 0.2 → 0.04, 0.09, max(0.09, 0.08), 0.2
		{[]float64{0.5, 0.6}, []float64{1, 1}},                               // capped
		{[]float64{0.02, 0.02}, []float64{0.04, 0.04}},                       // ties
	} {
		got, err := Holm(c.p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) = %v", c.p, got)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-15 {
				t.Errorf("Holm(%v) = %v, want %v", c.p, got, c.want)
				break
			}
		}
	}
	for _, bad := range [][]float64{{math.NaN()}, {-0.1}, {1.1}} {
		if _, err := Holm(bad); err == nil {
			t.Errorf("Holm(%v) accepted", bad)
		}
	}
}

// On random families: adjusted ≥ raw, ≤ 1, non-decreasing in the raw
// order, at most k·raw, and the input is left as it was.
func TestHolmInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 1))
	for range 200 {
		k := 1 + r.IntN(8)
		p := make([]float64, k)
		for i := range p {
			p[i] = math.Pow(r.Float64(), 3)
		}
		orig := append([]float64(nil), p...)
		adj, err := Holm(p)
		if err != nil {
			t.Fatal(err)
		}
		idx := make([]int, k)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
		for j, i := range idx {
			if p[i] != orig[i] || adj[i] < p[i] || adj[i] > 1 || adj[i] > float64(k)*p[i]+1e-15 ||
				(j > 0 && adj[i] < adj[idx[j-1]]) {
				t.Fatalf("Holm(%v) = %v", orig, adj)
			}
		}
	}
}
