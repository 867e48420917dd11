package parallel

import (
	"sync"
	"testing"
)

// The ranges tile [0, n) exactly once, in contiguous pieces whose bounds
// depend only on (n, workers), with distinct worker indices.
func TestRangesTileTheInterval(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100} {
		for _, workers := range []int{0, 1, 2, 3, 8, 200} {
			var mu sync.Mutex
			hits := make([]int, n)
			seen := map[int][2]int{}
			Ranges(n, workers, func(w, lo, hi int) {
				mu.Lock()
				defer mu.Unlock()
				if _, dup := seen[w]; dup {
					t.Errorf("n %d workers %d: worker %d twice", n, workers, w)
				}
				seen[w] = [2]int{lo, hi}
				for i := lo; i < hi; i++ {
					hits[i]++
				}
			})
			for i, h := range hits {
				if h != 1 {
					t.Fatalf("n %d workers %d: index %d covered %d times", n, workers, i, h)
				}
			}
			parts := min(max(workers, 1), n)
			for w, r := range seen {
				if n > 0 && (r[0] != w*n/parts || r[1] != (w+1)*n/parts) {
					t.Errorf("n %d workers %d: worker %d got [%d, %d)", n, workers, w, r[0], r[1])
				}
			}
		}
	}
}
