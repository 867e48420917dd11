package theory

import (
	"math"
	"testing"
)

// The prefix simulations agree with the full one wherever both exist
// (causality), and a token that does not blow up itself outlives the full
// system's blow-up.
func TestSimulatePrefixes(t *testing.T) {
	run, err := Planar(PlanarConfig{Signs: TwoPositive, Seed: 6, Tokens: 10, Horizon: 1e4, SamplesPerDecade: 20})
	if err != nil {
		t.Fatal(err)
	}
	full := run.Trajectory
	if !full.BlowUp {
		t.Fatal("the (+,+) panel should blow up")
	}
	pre, err := run.System.SimulatePrefixes(run.X0, 1e4, &SimOptions{SamplesPerDecade: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(pre) != 10 {
		t.Fatalf("%d prefix trajectories, want 10", len(pre))
	}
	outlived := 0
	for l, tr := range pre {
		if tr.L != l+1 {
			t.Fatalf("prefix %d has %d tokens", l, tr.L)
		}
		if tr.End < full.End*(1-1e-6) {
			t.Errorf("token %d: prefix ends at %v before the full system (%v)", l+1, tr.End, full.End)
		}
		if tr.End > full.End*1.01 {
			outlived++
		}
		// Same sample grid: compare every token of the prefix at the samples
		// the full run reached, away from the blow-up.
		for s := range full.T {
			if s >= len(tr.T) || full.T[s] > 0.9*full.End {
				break
			}
			for j := 0; j <= l; j++ {
				for d := 0; d < 2; d++ {
					a, b := tr.At(s, j, d), full.At(s, j, d)
					if math.Abs(a-b) > 1e-6*(1+math.Abs(b)) {
						t.Fatalf("prefix %d, token %d, t=%v: %v, full system %v", l+1, j+1, full.T[s], a, b)
					}
				}
			}
		}
	}
	if outlived == 0 {
		t.Error("no token outlived the full system's blow-up; causality gives them longer")
	}
	if _, err := run.System.SimulatePrefixes(run.X0[:3], 1, nil); err == nil {
		t.Error("x0 of 3 entries with D = 2 accepted")
	}
}
