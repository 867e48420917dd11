package train

import (
	"context"
	"errors"
	"sync"
)

// runJobs runs run(ctx, i) for i = 0..n-1 on at most par goroutines and
// returns the results in index order. The first failure cancels the context
// of the jobs still running and stops new ones; the error returned is the
// first failure that is not itself a cancellation, else the context's error.
// done (may be nil) is called after each successful job, one call at a time.
func runJobs[R any](ctx context.Context, n, par int, run func(ctx context.Context, i int) (R, error), done func(i int, r R)) ([]R, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]R, n)
	errs := make([]error, n)
	next := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < min(max(par, 1), n); w++ {
		wg.Go(func() {
			for i := range next {
				r, err := run(ctx, i)
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				out[i] = r
				if done != nil {
					mu.Lock()
					done(i, r)
					mu.Unlock()
				}
			}
		})
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
