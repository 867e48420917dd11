package model

import (
	"sync"
	"time"
)

// FMAPeak measures the machine's float32 multiply-add throughput, the
// ceiling of the matrix products: threads goroutines each run a loop of
// independent FMAs (the AVX-512 or AVX2+FMA kernel of fmapeak_amd64.s, the
// widest the matrix products use, or a portable Go
// loop of float32 multiply-adds where that kernel cannot run). It takes the
// best of five trials of about d/5 each, since other processes on the cores
// can only lower a trial, and returns the total rate in GFLOP/s (an FMA
// counts 2 FLOP) with the loop's name.
func FMAPeak(threads int, d time.Duration) (gflops float64, kernel string) {
	threads = max(threads, 1)
	const chunk, trials = 1 << 14, 5
	// Calibrate one chunk, then run enough chunks to fill d/trials.
	t0 := time.Now()
	_, kernel = fmaChunk(chunk)
	reps := max(1, int(float64(d/trials)/float64(max(time.Since(t0), time.Microsecond))))
	for range trials {
		var wg sync.WaitGroup
		flops := make([]float64, threads)
		start := time.Now()
		for w := 0; w < threads; w++ {
			wg.Go(func() {
				for r := 0; r < reps; r++ {
					f, _ := fmaChunk(chunk)
					flops[w] += f
				}
			})
		}
		wg.Wait()
		sec := time.Since(start).Seconds()
		var total float64
		for _, f := range flops {
			total += f
		}
		gflops = max(gflops, total/sec/1e9)
	}
	return gflops, kernel
}

// fmaChunk runs n iterations of the vector loop, or of the Go loop when
// there is none, and returns the FLOPs done and the loop's name.
func fmaChunk(n int) (float64, string) {
	if f, k, ok := fmaLoop(n); ok {
		return f, k
	}
	return fmaLoopGo(n), "portable Go"
}

// fmaLoopGo does 8·n float32 multiply-adds on independent accumulators and
// returns 16·n FLOP; the sum is returned through a sink so that the loop is
// not removed.
func fmaLoopGo(n int) float64 {
	var a [8]float32
	x, y := float32(0.999), float32(1e-3)
	for i := 0; i < n; i++ {
		for j := range a {
			a[j] = a[j]*x + y
		}
	}
	fmaSink(a[0] + a[7])
	return 16 * float64(n)
}

//go:noinline
func fmaSink(float32) {}
