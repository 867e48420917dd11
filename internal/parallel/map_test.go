package parallel

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestMapKeepsIndexOrderForEveryWorkerCount(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 3, 5, 20} {
		var calls atomic.Int64
		var dones []int
		last := 0
		got, err := Map(context.Background(), 9, workers, func() *int { return new(int) },
			func(_ context.Context, s *int, i int) (int, error) {
				*s++ // per-worker state: never shared, so -race stays quiet
				calls.Add(1)
				return 10 * i, nil
			}, func(i, r, finished int) {
				if r != 10*i || finished != last+1 {
					t.Errorf("workers %d: done(%d, %d, %d) after %d", workers, i, r, finished, last)
				}
				last = finished
				dones = append(dones, i)
			})
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		if len(got) != 9 {
			t.Fatalf("workers %d: %d results, want 9", workers, len(got))
		}
		for i, v := range got {
			if v != 10*i {
				t.Fatalf("workers %d: result %d = %d, want %d", workers, i, v, 10*i)
			}
		}
		if calls.Load() != 9 || len(dones) != 9 {
			t.Fatalf("workers %d: %d runs and %d done calls, want 9 and 9", workers, calls.Load(), len(dones))
		}
	}
}

func TestMapReportsTheLowestFailingIndex(t *testing.T) {
	bad := errors.New("bad")
	for _, workers := range []int{1, 3} {
		_, err := Map(context.Background(), 20, workers, func() struct{} { return struct{}{} },
			func(_ context.Context, _ struct{}, i int) (int, error) {
				if i%7 == 5 {
					return 0, fmt.Errorf("index %d: %w", i, bad)
				}
				return i, nil
			}, nil)
		var pe *Error
		if !errors.Is(err, bad) || !errors.As(err, &pe) || pe.Index != 5 {
			t.Fatalf("workers %d: got %v, want the failure of index 5", workers, err)
		}
	}
}

func TestMapReportsTheFailureNotTheCancellations(t *testing.T) {
	boom := errors.New("boom")
	_, err := Map(context.Background(), 6, 2, func() struct{} { return struct{}{} },
		func(ctx context.Context, _ struct{}, i int) (int, error) {
			if i == 1 {
				return 0, boom
			}
			<-ctx.Done() // the others run until cancelled
			return 0, ctx.Err()
		}, nil)
	var pe *Error
	if !errors.Is(err, boom) || !errors.As(err, &pe) || pe.Index != 1 {
		t.Fatalf("got %v, want the job-1 failure", err)
	}
}

func TestMapHonoursACancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	_, err := Map(ctx, 4, 2, func() struct{} { return struct{}{} },
		func(context.Context, struct{}, int) (int, error) { calls.Add(1); return 0, nil }, nil)
	if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
		t.Fatalf("got %v after %d runs, want context.Canceled after none", err, calls.Load())
	}
}

func TestMapOfNothing(t *testing.T) {
	got, err := Map(context.Background(), 0, 2, func() struct{} { return struct{}{} },
		func(context.Context, struct{}, int) (int, error) { return 1, nil }, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want no results and no error", got, err)
	}
}
