package train

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/optim"
)

// Token is the storage type of a token stream: bytes for the byte-level
// corpora, wider integers for tokenized ones.
type Token interface {
	~uint8 | ~uint16 | ~int32 | ~int
}

// Windows cuts a token stream into fixed-length training sequences: window
// i holds tokens[i·L : i·L+L+1] (L inputs and the L next-token targets), so
// consecutive windows share one token and every token but the first is a
// target exactly once. The tail shorter than L+1 tokens is not used.
type Windows[E Token] struct {
	Tokens []E
	L      int
}

// NewWindows checks that tokens holds at least one window of length L.
func NewWindows[E Token](tokens []E, L int) (*Windows[E], error) {
	if L < 1 {
		return nil, fmt.Errorf("train: sequence length %d must be positive", L)
	}
	if len(tokens) < L+1 {
		return nil, fmt.Errorf("train: %d tokens are fewer than one sequence of %d+1", len(tokens), L)
	}
	return &Windows[E]{Tokens: tokens, L: L}, nil
}

// Count is the number of windows, ⌊(len(Tokens)−1)/L⌋.
func (w *Windows[E]) Count() int { return (len(w.Tokens) - 1) / w.L }

// Fill copies window i into dst[:L+1].
func (w *Windows[E]) Fill(dst []int32, i int) {
	src := w.Tokens[i*w.L : i*w.L+w.L+1]
	for j, t := range src {
		dst[j] = int32(t)
	}
}

// Batch fills dst (batch, L+1) with micro-batch m: stream positions
// m·batch … m·batch+batch−1.
func Batch[E Token](w *Windows[E], o *optim.Order, m, batch int, dst []int32) {
	for b := 0; b < batch; b++ {
		w.Fill(dst[b*(w.L+1):(b+1)*(w.L+1)], o.At(m*batch+b))
	}
}
