package train

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkReorderEpoch trains one epoch of each arm on REORDER_BENCH_N
// (default 1000) Fashion-MNIST training images with the default model, one
// goroutine per run: ns/op is one epoch; images/s is reported. It sizes the
// default experiment (DefaultReorderConfig). Skipped without the data.
func BenchmarkReorderEpoch(b *testing.B) {
	n := 1000
	if s := os.Getenv("REORDER_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	cfg := DefaultReorderConfig()
	cfg.TrainSize, cfg.TestSize, cfg.TrainEvalSize, cfg.Epochs = n, 100, 0, 1
	data, err := LoadReorderData(cfg)
	if err != nil {
		b.Skipf("Fashion-MNIST not available: %v", err)
	}
	for _, arm := range []string{ArmBaseline, ArmReorder} {
		b.Run(arm, func(b *testing.B) {
			for b.Loop() {
				if _, err := RunReorderJob(context.Background(), data, cfg, arm, 1, 1, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
