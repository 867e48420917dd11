package theory

import (
	"errors"
	"fmt"
	"testing"
)

func TestParallelMapOrderAndLowestError(t *testing.T) {
	for _, workers := range []int{0, 1, 3} {
		calls := 0
		got, _, err := parallelMap(9, workers, func() *int { return new(int) }, func(s *int, i int) (int, error) {
			*s++ // per-worker state: never shared, so no race
			return 10 * i, nil
		}, func(done, total int) { calls++ })
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if v != 10*i {
				t.Fatalf("workers %d: result %d = %d, want %d", workers, i, v, 10*i)
			}
		}
		if calls != 9 {
			t.Fatalf("workers %d: %d progress calls, want 9", workers, calls)
		}
	}
	bad := errors.New("bad")
	_, at, err := parallelMap(20, 3, func() struct{} { return struct{}{} }, func(_ struct{}, i int) (int, error) {
		if i%7 == 5 {
			return 0, fmt.Errorf("index %d: %w", i, bad)
		}
		return i, nil
	}, nil)
	if !errors.Is(err, bad) || at != 5 {
		t.Fatalf("got error %v at %d, want the failure of index 5", err, at)
	}
}
