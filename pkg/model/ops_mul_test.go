package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// TestMulIntoMatchesLoop: the vector product gives the plain float32 loop's
// bits on every length (vector prefix and scalar rest) and writes nothing
// past len(dst).
func TestMulIntoMatchesLoop(t *testing.T) {
	rng := gradcheck.NewRNG(5)
	for _, n := range []int{0, 1, 7, 8, 9, 16, 24, 161} {
		a := gradcheck.F32(gradcheck.RandVec(rng, n+4, 3))
		b := gradcheck.F32(gradcheck.RandVec(rng, n+4, 3))
		dst := gradcheck.F32(gradcheck.RandVec(rng, n+4, 1))
		guard := append([]float32(nil), dst[n:]...)
		mulInto(dst[:n], a, b)
		for i := 0; i < n; i++ {
			if want := a[i] * b[i]; math.Float32bits(dst[i]) != math.Float32bits(want) {
				t.Fatalf("n=%d: dst[%d] = %v, want %v", n, i, dst[i], want)
			}
		}
		for i, v := range guard {
			if dst[n+i] != v {
				t.Fatalf("n=%d: wrote dst[%d] past the end", n, n+i)
			}
		}
	}
}
