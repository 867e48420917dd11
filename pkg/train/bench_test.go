package train

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// BenchmarkTrainStep times full optimizer updates of the Mamba LM (forward,
// backward, clipping, AdamW) for the sizes of the scaled experiment, the
// 8-layer d_model 48 model of the depth sweep and a smaller one, on
// GOMAXPROCS threads (go test -cpu 1,2); tokens/s is reported as a custom
// metric. Numbers measured while other processes use the cores are noisy.
func BenchmarkTrainStep(b *testing.B) {
	base, _ := lmrun.Preset("scaled")
	th := runtime.GOMAXPROCS(0)
	for _, c := range []BenchConfig{
		{DModel: 32, Layers: 2, SeqLen: 128, Batch: 4, Steps: 2, Threads: th, Param: "pos"},
		{DModel: base.Model.DModel, Layers: base.Model.NLayer, SeqLen: base.Data.SeqLen, Batch: base.Train.Batch, Steps: 2, Threads: th, Param: "pos"},
		{DModel: 48, Layers: 8, SeqLen: base.Data.SeqLen, Batch: base.Train.Batch, Steps: 2, Threads: th, Param: "pos"},
	} {
		b.Run(benchName(c), func(b *testing.B) {
			var tok, sec float64
			for b.Loop() {
				r, err := BenchTrain(context.Background(), c)
				if err != nil {
					b.Fatal(err)
				}
				tok += float64(r.Tokens)
				sec += r.Seconds
			}
			b.ReportMetric(tok/sec, "tokens/s")
		})
	}
}

func benchName(c BenchConfig) string {
	return fmt.Sprintf("d%d-l%d-seq%d-b%d", c.DModel, c.Layers, c.SeqLen, c.Batch)
}
