package train

import (
	"slices"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/optim"
)

func TestWindowsCoverTheStream(t *testing.T) {
	tokens := make([]uint8, 23)
	for i := range tokens {
		tokens[i] = uint8(i)
	}
	w, err := NewWindows(tokens, 5)
	if err != nil {
		t.Fatal(err)
	}
	if w.Count() != 4 { // ⌊22/5⌋
		t.Fatalf("Count = %d, want 4", w.Count())
	}
	buf := make([]int32, 6)
	for i := 0; i < w.Count(); i++ {
		w.Fill(buf, i)
		for j, v := range buf {
			if int(v) != 5*i+j {
				t.Fatalf("window %d[%d] = %d, want %d", i, j, v, 5*i+j)
			}
		}
	}
	if _, err := NewWindows(tokens[:5], 5); err == nil {
		t.Error("no error for fewer than L+1 tokens")
	}
	if _, err := NewWindows(tokens, 0); err == nil {
		t.Error("no error for L = 0")
	}
}

func TestOrderIsSeededPermutationPerEpoch(t *testing.T) {
	const n = 37
	a, b, c := optim.NewOrder(n, 5), optim.NewOrder(n, 5), optim.NewOrder(n, 6)
	var epochs [3][]int
	differs := false
	for k := 0; k < 3*n; k++ {
		x := a.At(k)
		epochs[k/n] = append(epochs[k/n], x)
		if b.At(k) != x {
			t.Fatalf("same seed, position %d: %d vs %d", k, b.At(k), x)
		}
		if c.At(k) != x {
			differs = true
		}
	}
	if !differs {
		t.Error("seeds 5 and 6 give the same order")
	}
	for e, p := range epochs {
		s := slices.Clone(p)
		slices.Sort(s)
		for i, v := range s {
			if v != i {
				t.Fatalf("epoch %d is not a permutation of 0..%d: %v", e, n-1, p)
			}
		}
	}
	if slices.Equal(epochs[0], epochs[1]) {
		t.Error("epochs 0 and 1 have the same order")
	}
	// Random access (as after a resume) gives the same answer as a scan.
	fresh := optim.NewOrder(n, 5)
	for _, k := range []int{2*n + 3, 4, n + 7} {
		if got := fresh.At(k); got != epochs[k/n][k%n] {
			t.Errorf("At(%d) after a jump = %d, want %d", k, got, epochs[k/n][k%n])
		}
	}
}
