// Package parallel is the project's one parallel map: jobs 0..n−1 run on a
// fixed number of goroutines, each with its own reusable state, and the
// results come back in index order, so the outcome never depends on the
// number of workers. The theory's sweeps and the experiments' training runs
// both go through Map.
package parallel

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Error is the failure of job Index.
type Error struct {
	Index int
	Err   error
}

func (e *Error) Error() string { return fmt.Sprintf("job %d: %v", e.Index, e.Err) }

// Unwrap returns the job's own error.
func (e *Error) Unwrap() error { return e.Err }

// Map computes f(ctx, s, i) for i in [0, n) on min(max(workers, 1), n)
// goroutines, each with its own state s from newState (buffers reused
// across its jobs, never shared), and returns the n results in index order.
//
// Jobs are handed out in increasing index order. The first failure cancels
// the ctx passed to the jobs still running and no new job starts; Map then
// returns an *Error for the lowest failing index whose error is not itself a
// cancellation (else the lowest failing one). When the parent ctx is
// cancelled and no job failed, Map returns ctx.Err().
//
// done (may be nil) is called after each successful job, one call at a time,
// with the job's index and result and the number of jobs finished so far.
func Map[S, R any](ctx context.Context, n, workers int, newState func() S,
	f func(ctx context.Context, s S, i int) (R, error), done func(i int, r R, finished int)) ([]R, error) {
	if n <= 0 {
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]R, n)
	errs := make([]error, n)
	next := make(chan int)
	var mu sync.Mutex
	finished := 0
	var wg sync.WaitGroup
	for w := 0; w < min(max(workers, 1), n); w++ {
		wg.Go(func() {
			s := newState()
			for i := range next {
				r, err := f(ctx, s, i)
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				out[i] = r
				mu.Lock()
				finished++
				if done != nil {
					done(i, r, finished)
				}
				mu.Unlock()
			}
		})
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	at := -1
	for i, err := range errs {
		if err == nil {
			continue
		}
		if at < 0 || errors.Is(errs[at], context.Canceled) && !errors.Is(err, context.Canceled) {
			at = i
		}
	}
	if at >= 0 {
		return nil, &Error{Index: at, Err: errs[at]}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
