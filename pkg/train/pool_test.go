package train

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestRunJobsKeepsIndexOrder(t *testing.T) {
	for _, par := range []int{0, 1, 2, 5} {
		var calls atomic.Int64
		var dones []int
		got, err := runJobs(context.Background(), 7, par, func(_ context.Context, i int) (int, error) {
			calls.Add(1)
			return i * i, nil
		}, func(i, r int) { dones = append(dones, i) })
		if err != nil {
			t.Fatalf("par %d: %v", par, err)
		}
		for i, v := range got {
			if v != i*i {
				t.Fatalf("par %d: result %d = %d, want %d", par, i, v, i*i)
			}
		}
		if calls.Load() != 7 || len(dones) != 7 {
			t.Fatalf("par %d: %d runs and %d done calls, want 7 and 7", par, calls.Load(), len(dones))
		}
	}
}

func TestRunJobsReportsTheFailureNotTheCancellations(t *testing.T) {
	boom := errors.New("boom")
	_, err := runJobs(context.Background(), 6, 2, func(ctx context.Context, i int) (int, error) {
		if i == 1 {
			return 0, fmt.Errorf("job 1: %w", boom)
		}
		<-ctx.Done() // the others run until cancelled
		return 0, ctx.Err()
	}, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the job-1 failure", err)
	}
}

func TestRunJobsHonoursACancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	_, err := runJobs(ctx, 4, 2, func(context.Context, int) (int, error) { calls.Add(1); return 0, nil }, nil)
	if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
		t.Fatalf("got %v after %d runs, want context.Canceled after none", err, calls.Load())
	}
}
