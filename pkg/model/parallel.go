package model

import "github.com/tokendyn/tokendyn/internal/parallel"

// Data parallelism inside one forward or backward pass. The ops of a mixer
// are independent across batch sequences (rows of different sequences never
// mix), so a pass splits the batch into contiguous ranges, one per worker.
// Sums over rows (parameter gradients) are never split by worker: they are
// either matrix products summed over k in a fixed order (gemmW) or per-batch
// partial sums reduced in batch order (reduceBatches), so the result does
// not depend on the number of workers.

// forBatches runs f(b0, b1, inner) over a static partition of [0, nb) into at
// most workers contiguous ranges and waits for all of them. inner is how many
// goroutines the matrix products inside f may use: workers when there is a
// single range, 1 otherwise.
func forBatches(nb, workers int, f func(b0, b1, inner int)) {
	forBatchesW(nb, workers, func(_, b0, b1, inner int) { f(b0, b1, inner) })
}

// forBatchesW is forBatches that also passes the range's worker index w
// (0 ≤ w < workers, distinct across the ranges of one call), for per-worker
// scratch such as the scan's.
func forBatchesW(nb, workers int, f func(w, b0, b1, inner int)) {
	if min(max(workers, 1), nb) <= 1 {
		f(0, 0, nb, max(workers, 1))
		return
	}
	parallel.Ranges(nb, workers, func(w, b0, b1 int) { f(w, b0, b1, 1) })
}

// reduceBatches adds the nb partial vectors part[b·n : (b+1)·n] to dst (n)
// in batch order.
func reduceBatches[T Float](nb, n int, part, dst []T) {
	dst = dst[:n]
	for b := 0; b < nb; b++ {
		for i, v := range part[b*n : (b+1)*n] {
			dst[i] += v
		}
	}
}
