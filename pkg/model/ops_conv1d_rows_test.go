//go:build amd64 && !purego

package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/internal/kernels"
)

// conv1dBackwardTaps is conv1dBackwardKC as it was before the row kernel:
// one fmaInto per tap and row, the gbias sum in Go. The row kernel must give
// its bits exactly.
func conv1dBackwardTaps(nb, nl, nc, nk, left int, x []float32, ldx int, w, gy, gwt, gbias, gx []float32, ldgx int) {
	wt := transposeKernel(nc, nk, w, nil)
	for b := 0; b < nb; b++ {
		for l := 0; l < nl; l++ {
			gr := gy[(b*nl+l)*nc : (b*nl+l+1)*nc]
			for c, g := range gr {
				gbias[c] += g
			}
			for k := 0; k < nk; k++ {
				src := l - left + k
				if src < 0 || src >= nl {
					continue
				}
				fmaInto(gwt[k*nc:(k+1)*nc], gr, x[(b*nl+src)*ldx:(b*nl+src)*ldx+nc])
				fmaInto(gx[(b*nl+src)*ldgx:(b*nl+src)*ldgx+nc], wt[k*nc:(k+1)*nc], gr)
			}
		}
	}
}

// TestConvBackRowMatchesTaps: conv1dBackwardKC (interior rows through
// convBackRow) gives the per-tap loop's bits for ∂w, ∂bias and ∂x on causal
// and 'same' padding, strided rows and channel counts that are odd and even
// multiples of 8, and leaves the elements between rows alone; then each
// kernel path the CPU has gives the same bits as the selected one.
func TestConvBackRowMatchesTaps(t *testing.T) {
	if !haveSgemmKernels() {
		t.Skip("no vector kernels on this path")
	}
	rng := gradcheck.NewRNG(21)
	for _, nc := range []int{8, 24, 160} {
		for _, nk := range []int{1, 2, 4} {
			for _, left := range []int{causalLeft(nk), sameLeft(nk)} {
				const nb, nl = 2, 9
				ldx, ldgx := 2*nc+8, 2*nc
				x := gradcheck.F32(gradcheck.RandVec(rng, nb*nl*ldx, 1))
				w := gradcheck.F32(gradcheck.RandVec(rng, nc*nk, 1))
				gy := gradcheck.F32(gradcheck.RandVec(rng, nb*nl*nc, 1))
				gwt0 := gradcheck.F32(gradcheck.RandVec(rng, nk*nc, 1))
				gb0 := gradcheck.F32(gradcheck.RandVec(rng, nc, 1))
				gx0 := gradcheck.F32(gradcheck.RandVec(rng, nb*nl*ldgx, 1))
				clone := func(v []float32) []float32 { return append([]float32(nil), v...) }
				wantW, wantB, wantX := clone(gwt0), clone(gb0), clone(gx0)
				conv1dBackwardTaps(nb, nl, nc, nk, left, x, ldx, w, gy, wantW, wantB, wantX, ldgx)
				gotW, gotB, gotX := clone(gwt0), clone(gb0), clone(gx0)
				conv1dBackwardKC(nb, nl, nc, nk, left, x, ldx, w, gy, gotW, gotB, gotX, ldgx)
				for _, c := range []struct {
					name      string
					got, want []float32
				}{{"∂w", gotW, wantW}, {"∂bias", gotB, wantB}, {"∂x", gotX, wantX}} {
					for i := range c.want {
						if math.Float32bits(c.got[i]) != math.Float32bits(c.want[i]) {
							t.Fatalf("nc=%d nk=%d left=%d: %s[%d] = %v, per-tap loop %v", nc, nk, left, c.name, i, c.got[i], c.want[i])
						}
					}
				}
				if nk == 4 && left == causalLeft(nk) {
					checkConvBackRowPaths(t, nc, nk, x, ldx, w, gy, gwt0, gb0, gx0, ldgx)
				}
			}
		}
	}
}

// checkConvBackRowPaths runs one interior row (l = nk − 1, causal) through
// each kernel the CPU has and compares with the selected path's result.
func checkConvBackRowPaths(t *testing.T, nc, nk int, x []float32, ldx int, w, gy, gwt0, gb0, gx0 []float32, ldgx int) {
	t.Helper()
	wt := transposeKernel(nc, nk, w, nil)
	g := gy[(nk-1)*nc:]
	run := func(f func(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)) [][]float32 {
		gw, gb, gx := append([]float32(nil), gwt0...), append([]float32(nil), gb0...), append([]float32(nil), gx0...)
		f(nc, nk, &g[0], &x[0], ldx, &wt[0], &gw[0], &gb[0], &gx[0], ldgx)
		return [][]float32{gw, gb, gx}
	}
	want := run(convBackRow)
	paths := []struct {
		isa kernels.ISA
		f   func(nc, nk int, gy, x *float32, ldx int, wt, gwt, gbias, gx *float32, ldgx int)
	}{{kernels.AVX2, convBackRowAVX2}, {kernels.AVX512, convBackRowAVX512}}
	for _, p := range paths {
		if kernels.Best() < p.isa {
			continue
		}
		for j, v := range run(p.f) {
			for i := range v {
				if math.Float32bits(v[i]) != math.Float32bits(want[j][i]) {
					t.Fatalf("%v, nc=%d: output %d [%d] = %v, selected path %v", p.isa, nc, j, i, v[i], want[j][i])
				}
			}
		}
	}
}
