package model

import (
	"math"
	"testing"
	"time"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// TestFMAPeak: the peak loop reports the FLOPs it was asked for and a
// positive finite rate, from the vector kernel exactly when the GEMM kernels
// run (so the fraction of peak compares like with like).
func TestFMAPeak(t *testing.T) {
	want := 1920.0 // 12 8-lane FMAs per iteration
	if kernels.Path() == kernels.AVX512 {
		want = 5120 // 16 16-lane FMAs
	}
	if f, k, ok := fmaLoop(10); ok != haveSgemmKernels() || (ok && (f != want || k == "")) {
		t.Errorf("fmaLoop(10) = %v, %q, %v with GEMM kernels %v", f, k, ok, haveSgemmKernels())
	}
	if f := fmaLoopGo(10); f != 160 {
		t.Errorf("fmaLoopGo(10) = %v FLOP, want 160", f)
	}
	g, k := FMAPeak(2, time.Millisecond)
	if !(g > 0) || math.IsInf(g, 0) || k == "" {
		t.Errorf("FMAPeak = %v GFLOP/s (%q)", g, k)
	}
}

// TestTrainFLOPs checks the count against the benchmark model by hand:
// d 80, 3 layers, Dᵢ 160, R 5, N 16, V 96.
func TestTrainFLOPs(t *testing.T) {
	c := LMConfig{DModel: 80, NLayer: 3, Vocab: 96, DState: 16, Expand: 2, DtRank: 5}
	gemm, scan := c.TrainFLOPs()
	perLayer := 80*320 + 160*37 + 5*160 + 160*80 // 45120
	if want := 6.0 * (3*45120 + 80*96); gemm != want || perLayer != 45120 {
		t.Errorf("gemm = %v, want %v", gemm, want)
	}
	if want := 22.0 * 3 * 160 * 16; scan != want {
		t.Errorf("scan = %v, want %v", scan, want)
	}
}
