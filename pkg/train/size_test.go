package train

import (
	"runtime"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// The estimate is a lower bound of what a run really allocates: building the
// tiny model and one training step must allocate at least the weights part.
func TestEstimateBytesBoundsAndRefusals(t *testing.T) {
	cfg, _ := lmrun.Preset("tiny")
	cfg.Model.Vocab = 96
	est := lmrun.EstimateBytes(cfg)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := NewLM(cfg.Model, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	weights := int64(4 * CountParams(m.Params()))
	if got := int64(after.TotalAlloc - before.TotalAlloc); got < weights {
		t.Fatalf("building allocated %d bytes, less than the %d of the weights", got, weights)
	}
	if est < 4*weights {
		t.Fatalf("estimate %d below weights+grads+moments %d", est, 4*weights)
	}
	if err := lmrun.CheckSize(cfg, 1<<30); err != nil {
		t.Fatal(err)
	}
	huge := cfg
	huge.Model.DModel, huge.Train.Batch = 1<<20, 1<<20
	err = lmrun.CheckSize(huge, 1<<30)
	if err == nil || !strings.Contains(err.Error(), "GiB") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("huge model: %v", err)
	}
	over := cfg
	over.Model.DModel, over.Model.NLayer, over.Train.Batch, over.Data.SeqLen = 1<<40, 1<<40, 1<<40, 1<<40
	if lmrun.EstimateBytes(over) != -1 || lmrun.CheckSize(over, 1<<62) == nil {
		t.Fatal("overflowing sizes not refused")
	}
	th := cfg
	th.Threads = 100000
	if err := lmrun.CheckSize(th, 1<<30); err == nil || !strings.Contains(err.Error(), "100000") {
		t.Fatalf("threads: %v", err)
	}
}
