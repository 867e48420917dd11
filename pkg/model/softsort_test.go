package model

import (
	"math"
	"sort"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// ascendingOrder returns the indices of s sorted by increasing value.
func ascendingOrder(s []float64) []int {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return s[idx[i]] < s[idx[j]] })
	return idx
}

func TestSoftSortRowsAndLimit(t *testing.T) {
	rng := gradcheck.NewRNG(600)
	const nl = 7
	s := gradcheck.RandVec(rng, nl, 2) // importance scores
	v := make([]float64, nl)
	for i, x := range s {
		v[i] = -x
	}
	order := ascendingOrder(s) // most important last
	for _, test := range []struct {
		tau, pow float64
		tol      float64 // distance to the permutation allowed (0: not checked)
	}{
		{tau: 1, pow: 1},
		{tau: 0.3, pow: 2},
		{tau: 1e-3, pow: 1, tol: 1e-6},
		{tau: 1e-4, pow: 1, tol: 1e-12},
	} {
		p, err := SoftSortMatrix(SoftSort{Tau: test.tau, Pow: test.pow}, v)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < nl; k++ {
			var sum float64
			for l := 0; l < nl; l++ {
				if p[k*nl+l] < 0 {
					t.Errorf("τ=%v: P[%d,%d] = %v < 0", test.tau, k, l, p[k*nl+l])
				}
				sum += p[k*nl+l]
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("τ=%v: row %d sums to %v", test.tau, k, sum)
			}
			// The largest entry of row k is the k-th smallest score.
			best := 0
			for l := 1; l < nl; l++ {
				if p[k*nl+l] > p[k*nl+best] {
					best = l
				}
			}
			if best != order[k] {
				t.Errorf("τ=%v: row %d peaks at token %d, want %d (k-th smallest s)", test.tau, k, best, order[k])
			}
			if test.tol > 0 {
				for l := 0; l < nl; l++ {
					want := 0.0
					if l == order[k] {
						want = 1
					}
					if math.Abs(p[k*nl+l]-want) > test.tol {
						t.Errorf("τ=%v: P[%d,%d] = %v, want %v", test.tau, k, l, p[k*nl+l], want)
					}
				}
			}
		}
	}
	// Hard: exactly the permutation matrix, even at τ = 1.
	ph, err := SoftSortMatrix(SoftSort{Hard: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < nl; k++ {
		for l := 0; l < nl; l++ {
			want := 0.0
			if l == order[k] {
				want = 1
			}
			if ph[k*nl+l] != want {
				t.Errorf("hard: P[%d,%d] = %v, want %v", k, l, ph[k*nl+l], want)
			}
		}
	}
	// Applying the hard matrix to the scores sorts them ascending.
	for k := 1; k < nl; k++ {
		var prev, cur float64
		for l := 0; l < nl; l++ {
			prev += ph[(k-1)*nl+l] * s[l]
			cur += ph[k*nl+l] * s[l]
		}
		if !(prev <= cur) {
			t.Errorf("hard: reordered scores not ascending at %d: %v > %v", k, prev, cur)
		}
	}
}

func TestSoftSortGrad(t *testing.T) {
	for i, c := range []SoftSort{{}, {Tau: 0.5, Pow: 2}, {Tau: 2, Pow: 1.5}} {
		rng := gradcheck.NewRNG(uint64(610 + i))
		const nl = 6
		v := gradcheck.RandVec(rng, nl, 2)
		probe := gradcheck.RandVec(rng, nl*nl, 1)
		phat := make([]float64, nl*nl)
		perm := make([]int, nl)
		f := func() float64 {
			softSortForward(c, v, phat, phat, perm)
			return gradcheck.Dot(probe, phat)
		}
		f()
		g := make([]float64, nl)
		softSortBackward(c, v, phat, perm, probe, g)
		gradcheck.Check(t, "softsort", v, g, nil, f)
	}
}

func TestSoftSortErrors(t *testing.T) {
	for _, c := range []SoftSort{{Tau: -1}, {Pow: math.NaN()}, {Tau: math.Inf(1)}} {
		if _, err := SoftSortMatrix(c, []float64{1, 2}); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := SoftSortMatrix(SoftSort{}, []float64{}); err == nil {
		t.Errorf("empty scores: no error")
	}
	if _, err := SoftSortMatrix(SoftSort{}, []float64{1, math.NaN()}); err == nil {
		t.Errorf("NaN score: no error")
	}
}

func TestPermuteGrad(t *testing.T) {
	for _, transpose := range []bool{false, true} {
		rng := gradcheck.NewRNG(620)
		nb, nl, n, lds, ldd := 2, 4, 3, 5, 7
		p := gradcheck.RandVec(rng, nb*nl*nl, 1)
		src := gradcheck.RandVec(rng, nb*nl*lds, 1)
		dst := make([]float64, nb*nl*ldd)
		probe := gradcheck.RandVec(rng, len(dst), 1)
		for i := range probe { // only the n used columns of dst count
			if i%ldd >= n {
				probe[i] = 0
			}
		}
		f := func() float64 {
			permuteForward(nb, nl, n, p, transpose, src, lds, dst, ldd)
			return gradcheck.Dot(probe, dst)
		}
		f()
		// Forward against the definition.
		for b := 0; b < nb; b++ {
			for k := 0; k < nl; k++ {
				for j := 0; j < n; j++ {
					var want float64
					for l := 0; l < nl; l++ {
						pk := p[b*nl*nl+k*nl+l]
						if transpose {
							pk = p[b*nl*nl+l*nl+k]
						}
						want += pk * src[(b*nl+l)*lds+j]
					}
					if got := dst[(b*nl+k)*ldd+j]; math.Abs(got-want) > 1e-12 {
						t.Errorf("transpose=%v: dst[%d,%d,%d] = %v, want %v", transpose, b, k, j, got, want)
					}
				}
			}
		}
		gs := make([]float64, len(src))
		gp := make([]float64, len(p))
		permuteBackward(nb, nl, n, p, transpose, src, lds, probe, ldd, gs, lds, gp)
		gradcheck.Check(t, "permute src", src, gs, nil, f)
		gradcheck.Check(t, "permute P", p, gp, nil, f)
	}
}

func TestImportanceGrad(t *testing.T) {
	rng := gradcheck.NewRNG(630)
	m, n := 5, 4
	delta := gradcheck.RandVec(rng, m*n, 1)
	k := gradcheck.RandVec(rng, n, 1)
	s := make([]float64, m)
	probe := gradcheck.RandVec(rng, m, 1)
	f := func() float64 { importanceForward(m, n, delta, k, s); return gradcheck.Dot(probe, s) }
	gk := make([]float64, n)
	gd := make([]float64, m*n)
	importanceBackward(m, n, delta, k, probe, gk, gd)
	gradcheck.Check(t, "importance K", k, gk, nil, f)
	gradcheck.Check(t, "importance δ", delta, gd, nil, f)
}
