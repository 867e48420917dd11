package optim

import "math/rand/v2"

// dropoutStream separates the dropout random numbers from the data order,
// which uses the seed directly.
const dropoutStream = 0x9e3779b97f4a7c15

// DropoutRNG returns the random source for the dropout masks of micro-batch m
// (stream position of the micro-batch, step·Accum + j): a pure function of
// (seed, m), so that resuming reproduces the masks.
func DropoutRNG(seed uint64, m int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^dropoutStream, uint64(m)))
}
