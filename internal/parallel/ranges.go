package parallel

import "sync"

// Ranges runs f(w, lo, hi) over the static partition of [0, n) into
// parts = min(max(workers, 1), n) contiguous ranges, [w·n/parts,
// (w+1)·n/parts) for w < parts, range 0 on the calling goroutine, and waits
// for all of them. The partition depends only on n and workers, so a
// computation whose ranges are independent gives the same result for any
// workers (the kernels of the layer and the network split batches this way).
func Ranges(n, workers int, f func(w, lo, hi int)) {
	parts := min(max(workers, 1), n)
	if parts <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 1; w < parts; w++ {
		lo, hi := w*n/parts, (w+1)*n/parts
		wg.Go(func() { f(w, lo, hi) })
	}
	f(0, 0, n/parts)
	wg.Wait()
}
