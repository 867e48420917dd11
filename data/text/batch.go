package text

import (
	"fmt"
	"iter"
	"math/rand/v2"
)

// Batcher draws training batches of (batch, L+1) windows from a token
// stream in a seeded order.
//
// The stream is cut into K = ⌊(n−1)/L⌋ windows, window i holding tokens
// [i·L, i·L+L+1): L inputs and their L next-token targets; consecutive
// windows share one token, so every token but the first is a target in
// exactly one window and the tail of fewer than L+1 tokens is unused. Epoch
// e visits the K windows in the order of a permutation drawn from
// rand.New(rand.NewPCG(seed, seed+e)) (epoch 0 uses PCG(seed, seed)); the
// epochs follow each other without a break, so every batch is full. Window
// position k of the endless stream is a pure function of (seed, k): a run
// resumed with Seek sees the same batches as an uninterrupted one.
type Batcher struct {
	tokens   []byte
	batch, L int
	windows  int
	seed     uint64
	pos      int // next stream position
	epoch    int // epoch of perm, -1 before the first
	perm     []int
}

// NewBatcher checks the sizes: batch ≥ 1, L ≥ 1 and at least one window of
// L+1 tokens.
func NewBatcher(tokens []byte, batch, L int, seed uint64) (*Batcher, error) {
	if batch < 1 || L < 1 {
		return nil, fmt.Errorf("text: batcher: batch %d and sequence length %d must be positive", batch, L)
	}
	if len(tokens) < L+1 {
		return nil, fmt.Errorf("text: batcher: %d tokens are fewer than one window of L+1 = %d", len(tokens), L+1)
	}
	return &Batcher{tokens: tokens, batch: batch, L: L, windows: (len(tokens) - 1) / L, seed: seed, epoch: -1}, nil
}

// Windows is K, the number of windows per epoch.
func (b *Batcher) Windows() int { return b.windows }

// Step is the number of batches drawn so far (or set by Seek).
func (b *Batcher) Step() int { return b.pos / b.batch }

// Epoch is the fractional number of epochs drawn so far.
func (b *Batcher) Epoch() float64 { return float64(b.pos) / float64(b.windows) }

// Seek makes the next batch the one of index step (0 = the first).
func (b *Batcher) Seek(step int) {
	b.pos = step * b.batch
}

// window returns the index of the window at stream position k.
func (b *Batcher) window(k int) int {
	e := k / b.windows
	if e != b.epoch {
		b.perm = rand.New(rand.NewPCG(b.seed, b.seed+uint64(e))).Perm(b.windows)
		b.epoch = e
	}
	return b.perm[k%b.windows]
}

// Next fills dst (reallocated when shorter than batch·(L+1)) with the next
// batch, (batch, L+1) row-major, and returns it.
func (b *Batcher) Next(dst []byte) []byte {
	w := b.L + 1
	if len(dst) < b.batch*w {
		dst = make([]byte, b.batch*w)
	}
	dst = dst[:b.batch*w]
	for r := range b.batch {
		i := b.window(b.pos)
		copy(dst[r*w:(r+1)*w], b.tokens[i*b.L:i*b.L+w])
		b.pos++
	}
	return dst
}

// EvalWindows yields the sequential, non-overlapping evaluation windows of
// a token stream: windows [i·L, i·L+L+1) for i = 0, 1, ..., the last one
// shorter (at least 2 tokens) when L does not divide n−1. Each token but the
// first is a target exactly once, so summing the per-target losses over all
// windows and dividing by n−1 gives the split's exact average loss. The
// windows are sub-slices of tokens (not copies).
func EvalWindows(tokens []byte, L int) (iter.Seq[[]byte], error) {
	if L < 1 {
		return nil, fmt.Errorf("text: eval windows: sequence length %d must be positive", L)
	}
	if len(tokens) < 2 {
		return nil, fmt.Errorf("text: eval windows: %d tokens, need at least 2", len(tokens))
	}
	return func(yield func([]byte) bool) {
		for start := 0; start+1 < len(tokens); start += L {
			if !yield(tokens[start:min(start+L+1, len(tokens))]) {
				return
			}
		}
	}, nil
}
