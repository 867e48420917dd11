package train

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

func TestPaperScheduleFromOptions(t *testing.T) {
	o := lmrun.DefaultOptions()
	o.Steps = 22500 // 25 epochs × 900 updates (docs/paper.md §6.1)
	c := Schedule(o)
	if c.Warmup != 225 || c.Peak != 1.5e-3 || math.Abs(c.Min-1.5e-4) > 1e-18 || c.WarmupInit != 1e-6 {
		t.Fatalf("paper schedule = %+v", c)
	}
	if got := c.At(22499); math.Abs(got-1.5e-4) > 1e-9 {
		t.Errorf("last update lr = %v, want ≈ 1.5e-4", got)
	}
}

func TestOptionsRejectUnknownDecayGroups(t *testing.T) {
	o := lmrun.DefaultOptions()
	o.DecayGroups = "some"
	if o.Validate() == nil {
		t.Error("decay_groups \"some\" accepted")
	}
}
