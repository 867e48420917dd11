package text

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// stream returns n tokens where token i is i mod 251, so a window is known
// by its first token when it starts below 251.
func stream(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func TestBatcherCoversEveryWindowOncePerEpoch(t *testing.T) {
	for i, test := range []struct{ n, batch, L int }{
		{200, 4, 7},  // K = 28 windows, 7 batches per epoch
		{200, 5, 7},  // K = 28: batches straddle epochs
		{50, 1, 49},  // K = 1
		{101, 3, 10}, // K = 10, tail of 0
		{107, 2, 10}, // K = 10, tail of 6 tokens unused
	} {
		toks := stream(test.n)
		b, err := NewBatcher(toks, test.batch, test.L, 7)
		if err != nil {
			t.Fatal(err)
		}
		K := (test.n - 1) / test.L
		if b.Windows() != K {
			t.Fatalf("case %d: %d windows, want %d", i, b.Windows(), K)
		}
		var starts []int
		var buf []byte
		for len(starts) < 3*K {
			buf = b.Next(buf)
			if len(buf) != test.batch*(test.L+1) {
				t.Fatalf("case %d: batch of %d tokens", i, len(buf))
			}
			for r := range test.batch {
				row := buf[r*(test.L+1) : (r+1)*(test.L+1)]
				s := int(row[0])
				if s%test.L != 0 || !bytes.Equal(row, toks[s:s+test.L+1]) {
					t.Fatalf("case %d: row %v is not a window", i, row)
				}
				starts = append(starts, s/test.L)
			}
		}
		for e := range 3 {
			ep := slices.Clone(starts[e*K : (e+1)*K])
			slices.Sort(ep)
			for k, w := range ep {
				if w != k {
					t.Fatalf("case %d: epoch %d visits windows %v, want each of 0..%d once", i, e, ep, K-1)
				}
			}
		}
		// Epoch 0 follows rand.New(rand.NewPCG(seed, seed)).Perm(K).
		if want := rand.New(rand.NewPCG(7, 7)).Perm(K); !slices.Equal(starts[:K], want) {
			t.Fatalf("case %d: epoch 0 order %v, want %v", i, starts[:K], want)
		}
	}
}

func TestBatcherSeededAndResumable(t *testing.T) {
	toks := stream(1000)
	draw := func(seed uint64, skip, n int) [][]byte {
		b, _ := NewBatcher(toks, 3, 16, seed)
		b.Seek(skip)
		var out [][]byte
		for range n {
			out = append(out, b.Next(nil))
		}
		return out
	}
	a, b := draw(1, 0, 40), draw(1, 0, 40)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatal("same seed, different batches")
		}
	}
	c := draw(2, 0, 40)
	same := 0
	for i := range a {
		if bytes.Equal(a[i], c[i]) {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("different seeds, same batches")
	}
	r := draw(1, 25, 15)
	for i := range r {
		if !bytes.Equal(r[i], a[25+i]) {
			t.Fatalf("resumed batch %d differs", 25+i)
		}
	}
	for _, bad := range []struct{ n, batch, L int }{{10, 0, 3}, {10, 2, 0}, {10, 2, 10}} {
		if _, err := NewBatcher(stream(bad.n), bad.batch, bad.L, 1); err == nil {
			t.Errorf("NewBatcher(%d tokens, batch %d, L %d): no error", bad.n, bad.batch, bad.L)
		}
	}
}

func TestEvalWindows(t *testing.T) {
	for _, n := range []int{2, 9, 10, 11, 12, 100} {
		toks := stream(n)
		const L = 5
		it, err := EvalWindows(toks, L)
		if err != nil {
			t.Fatal(err)
		}
		var targets []byte
		prevEnd := -1
		count := 0
		for w := range it {
			count++
			if len(w) < 2 || len(w) > L+1 {
				t.Fatalf("n=%d: window of %d tokens", n, len(w))
			}
			start := int(w[0])
			if prevEnd >= 0 && start != prevEnd-1 {
				t.Fatalf("n=%d: window starts at %d, previous ended at %d (want one token of overlap)", n, start, prevEnd)
			}
			prevEnd = start + len(w)
			targets = append(targets, w[1:]...)
		}
		if !bytes.Equal(targets, toks[1:]) {
			t.Fatalf("n=%d: targets are not tokens[1:] exactly once", n)
		}
		if want := (n - 1 + L - 1) / L; count != want {
			t.Fatalf("n=%d: %d windows, want ⌈(n−1)/L⌉ = %d", n, count, want)
		}
	}
	if _, err := EvalWindows(stream(1), 5); err == nil {
		t.Fatal("one token accepted")
	}
	if _, err := EvalWindows(stream(10), 0); err == nil {
		t.Fatal("L = 0 accepted")
	}
}
