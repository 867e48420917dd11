package optim

import "math/rand/v2"

// Order is the seeded order in which training windows are visited: epoch e
// is a permutation of the n windows drawn from PCG(seed, e), and the epochs
// follow each other. Position k of the endless stream is window
// perm_{k/n}[k mod n], a pure function of (seed, k), so a resumed run sees
// the same data as an uninterrupted one.
type Order struct {
	n     int
	seed  uint64
	epoch int
	perm  []int
}

// NewOrder returns the order of n windows for seed.
func NewOrder(n int, seed uint64) *Order {
	return &Order{n: n, seed: seed, epoch: -1}
}

// At returns the window index at stream position k >= 0.
func (o *Order) At(k int) int {
	e := k / o.n
	if e != o.epoch {
		o.perm = rand.New(rand.NewPCG(o.seed, uint64(e))).Perm(o.n)
		o.epoch = e
	}
	return o.perm[k%o.n]
}
