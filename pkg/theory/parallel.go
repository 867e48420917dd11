package theory

import "sync"

// parallelMap computes f(state, i) for i in [0, n) on workers goroutines,
// each with its own state from newState (reusable buffers, never shared),
// and returns the results in index order, so the outcome does not depend on
// workers. progress (may be nil) is called from the calling goroutine after
// each finished index. On failure the error of the lowest failing index is
// returned, with that index.
func parallelMap[S, R any](n, workers int, newState func() S, f func(s S, i int) (R, error), progress func(done, total int)) ([]R, int, error) {
	type result struct {
		i   int
		r   R
		err error
	}
	jobs := make(chan int)
	results := make(chan result)
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Go(func() {
			s := newState()
			for i := range jobs {
				r, err := f(s, i)
				results <- result{i, r, err}
			}
		})
	}
	go func() {
		for i := 0; i < n; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	out := make([]R, n)
	errAt, firstErr := -1, error(nil)
	done := 0
	for r := range results {
		done++
		out[r.i] = r.r
		if r.err != nil && (errAt < 0 || r.i < errAt) {
			errAt, firstErr = r.i, r.err
		}
		if progress != nil {
			progress(done, n)
		}
	}
	if firstErr != nil {
		return nil, errAt, firstErr
	}
	return out, -1, nil
}
