package mamba

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkScan measures the fast scan on a small and a large shape
// (Mamba-like inputs, VarB/VarC, D and z present) and reports ns/update,
// an update being one (b, l, d, n) step of the recurrence.
//
//	go test -run '^$' -bench Scan ./pkg/mamba/
func BenchmarkScan(b *testing.B) {
	shapes := []scanTestShape{
		{batch: 1, dim: 128, length: 1024, state: 16},
		{batch: 4, dim: 512, length: 2048, state: 16},
	}
	for _, sh := range shapes {
		sh.varB, sh.varC, sh.skip, sh.gate, sh.bias, sh.softplus = true, true, true, true, true, true
		type benchCase struct {
			dtype   string
			workers int
			kind    kernelKind
		}
		cases := []benchCase{
			{"float32", 1, kernelAuto},
			{"float32", 2, kernelAuto},
			{"float32-generic", 2, kernelGeneric},
			{"float64", 2, kernelAuto},
		}
		for _, k := range asmKernels() {
			cases = append(cases, benchCase{"float32-" + k.name, 1, k.kind}, benchCase{"float32-" + k.name, 2, k.kind})
		}
		for _, bc := range cases {
			name := fmt.Sprintf("B%d_D%d_L%d_N%d/%s/threads%d", sh.batch, sh.dim, sh.length, sh.state, bc.dtype, bc.workers)
			b.Run(name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				updates := float64(sh.batch * sh.dim * sh.length * sh.state)
				if bc.dtype == "float64" {
					benchScanArgs(b, randomScanArgs[float64](rng, sh), bc.workers, bc.kind, updates)
				} else {
					benchScanArgs(b, randomScanArgs[float32](rng, sh), bc.workers, bc.kind, updates)
				}
			})
		}
	}
}

func benchScanArgs[T Float](b *testing.B, a *ScanArgs[T], workers int, kind kernelKind, updates float64) {
	var dst ScanResult[T]
	if err := scanIntoWith(&dst, a, workers, kind); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := scanIntoWith(&dst, a, workers, kind); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(float64(b.N)*updates), "ns/update")
}

// BenchmarkScanTiny measures the per-call cost for the theory package's use:
// Batch 1, D = 1, short sequences, float64, repeated ScanInto into the same
// result (no allocation).
func BenchmarkScanTiny(b *testing.B) {
	for _, nl := range []int{4, 32} {
		for _, nn := range []int{1, 16} {
			b.Run(fmt.Sprintf("L%d_N%d", nl, nn), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(3, 4))
				a := randomScanArgs[float64](rng, scanTestShape{batch: 1, dim: 1, length: nl, state: nn, varB: true, varC: true, softplus: true})
				var dst ScanResult[float64]
				b.ReportAllocs()
				for b.Loop() {
					if err := ScanInto(&dst, a, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
