package mamba

import (
	"sync"
	"sync/atomic"
)

// parallelMinUpdates is the smallest number of updates (B·D·L·N) for which
// Scan starts goroutines; below it (tens of microseconds of work) the calling
// goroutine does everything.
const parallelMinUpdates = 1 << 16

// runScan prepares the plan and runs the row kernel over all (b, d) rows,
// on the calling goroutine or on workers goroutines (the caller being one of
// them) that take blocks of rows from a shared counter.
func runScan[E Float](res *ScanResult[E], a *ScanArgs[E], workers int, k rowKernel[E]) {
	rows := a.Batch * a.Dim
	w := min(workers, rows)
	if w < 1 || a.Batch*a.Dim*a.Len*a.State < parallelMinUpdates {
		w = 1
	}
	p, scratch := preparePlan(res, a, w, k)
	if w == 1 {
		s := &scratch[0]
		for r := 0; r < rows; r++ {
			p.row(p, s, r/a.Dim, r%a.Dim)
		}
		p.release()
		return
	}
	grain := max(1, rows/(8*w))
	var next atomic.Int64
	work := func(s *rowScratch[E]) {
		for {
			r0 := int(next.Add(int64(grain))) - grain
			if r0 >= rows {
				return
			}
			for r := r0; r < min(r0+grain, rows); r++ {
				p.row(p, s, r/a.Dim, r%a.Dim)
			}
		}
	}
	var wg sync.WaitGroup
	for i := 1; i < w; i++ {
		s := &scratch[i]
		wg.Go(func() { work(s) })
	}
	work(&scratch[0])
	wg.Wait()
	p.release()
}
