package runner

import (
	"context"
	"fmt"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// BenchmarkDefaultEpoch is the calibration of Default's cost: one epoch of
// one seed of each arm at each patch size, on the real data, one thread
// (as each of the two parallel runs of `make figures` has). Run with
// -benchtime=1x; Default's wall time on 2 cores ≈ Σ(ns/op) × Epochs × seeds / 2.
func BenchmarkDefaultEpoch(b *testing.B) {
	spec := reorder.Default()
	spec.Epochs = 1
	d, err := reorder.LoadData(spec)
	if err != nil {
		b.Skip(err)
	}
	for _, p := range spec.Patches {
		for _, a := range spec.Arms {
			b.Run(fmt.Sprintf("L=%d/%s", d.Tokens[p].L, a.Name), func(b *testing.B) {
				for range b.N {
					if _, err := runJob(context.Background(), d, d.Tokens[p], spec, a, 1, 1, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
