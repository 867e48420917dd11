package model

import (
	"fmt"
	"math"
	"sort"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// SoftSort is the continuous relaxation of sorting of Prillo & Eisenschlos
// (2020), as the authors' utils/softsort.py (docs/paper.md §5.2 item 4). For
// scores v (L), with v_(k) the k-th largest entry (sorting descending),
//
//	P̂[k,l] = softmax_l( −|v_(k) − v_l|^Pow / Tau )
//
// Row k is a soft one-hot on the token holding the k-th largest v; P̂ → the
// sorting permutation as Tau → 0. With Hard, the forward uses the one-hot of
// each row's argmax (the permutation matrix) and the backward the gradient of
// P̂ (straight-through). The reordering mixer applies SoftSort to v = −s, so
// tokens come out sorted by ascending importance s (most important last).
//
// Zero values mean the authors' defaults: Tau = 1, Pow = 1, Hard = false.
type SoftSort struct {
	Tau, Pow float64
	Hard     bool
}

func (c SoftSort) tau() float64 {
	if c.Tau == 0 {
		return 1
	}
	return c.Tau
}

func (c SoftSort) pow() float64 {
	if c.Pow == 0 {
		return 1
	}
	return c.Pow
}

func (c SoftSort) validate() error {
	if t := c.tau(); !(t > 0) || math.IsInf(t, 0) {
		return fmt.Errorf("model: softsort: tau = %v, want a finite positive number", c.Tau)
	}
	if p := c.pow(); !(p > 0) || math.IsInf(p, 0) {
		return fmt.Errorf("model: softsort: pow = %v, want a finite positive number", c.Pow)
	}
	return nil
}

// sortDescending fills perm with the indices of v in descending order of
// value (ties broken by the lower index first, deterministically).
func sortDescending[T Float](v []T, perm []int) {
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(i, j int) bool { return v[perm[i]] > v[perm[j]] })
}

// softSortForward computes P̂ for one sequence.
//
//	v      (L)     scores
//	phat   (L, L)  the soft matrix P̂ (kept for the backward)
//	p      (L, L)  the matrix used downstream: P̂, or its row-argmax one-hot if Hard (may alias phat when not Hard)
//	perm   (L)     perm[k] = index of the k-th largest v
func softSortForward[T Float](c SoftSort, v []T, phat, p []T, perm []int) {
	nl := len(v)
	tau, pw := T(c.tau()), c.pow()
	sortDescending(v, perm)
	for k := 0; k < nl; k++ {
		vk := v[perm[k]]
		row := phat[k*nl : (k+1)*nl]
		// The largest logit is 0 (at l = perm[k]), so exp never overflows.
		var sum T
		for l, vl := range v {
			d := vk - vl
			if d < 0 {
				d = -d
			}
			var a T
			if pw == 1 {
				a = -d / tau
			} else {
				a = -T(math.Pow(float64(d), pw)) / tau
			}
			e := mamba.ExpT(a)
			row[l] = e
			sum += e
		}
		for l := range row {
			row[l] /= sum
		}
		if c.Hard {
			best := 0
			for l := 1; l < nl; l++ {
				if row[l] > row[best] {
					best = l
				}
			}
			prow := p[k*nl : (k+1)*nl]
			clear(prow)
			prow[best] = 1
		}
	}
	if !c.Hard && &p[0] != &phat[0] {
		copy(p, phat)
	}
}

// softSortBackward adds to gv (L) the gradient of the loss with respect to v,
// given gp = ∂loss/∂P (L, L) and the saved P̂ and perm. For Hard it is the
// straight-through gradient (that of P̂). The sorted values v_(k) are
// differentiable (as torch.sort's values): ∂v_(k) flows to v[perm[k]].
// |d|^p has derivative 0 at d = 0 (as PyTorch's abs).
func softSortBackward[T Float](c SoftSort, v, phat []T, perm []int, gp, gv []T) {
	nl := len(v)
	tau, pw := T(c.tau()), c.pow()
	for k := 0; k < nl; k++ {
		row := phat[k*nl : (k+1)*nl]
		grow := gp[k*nl : (k+1)*nl]
		var s T
		for l, pv := range row {
			s += pv * grow[l]
		}
		vk := v[perm[k]]
		var gvk T
		for l, pv := range row {
			ga := pv * (grow[l] - s) // ∂loss/∂logit[k,l]
			d := vk - v[l]
			if d == 0 {
				continue
			}
			// logit = −|d|^p/τ, ∂logit/∂d = −p |d|^(p−1) sign(d) / τ
			var dd T
			ad := d
			if ad < 0 {
				ad = -ad
			}
			if pw == 1 {
				dd = -1 / tau
			} else {
				dd = -T(pw*math.Pow(float64(ad), pw-1)) / tau
			}
			if d < 0 {
				dd = -dd
			}
			gd := ga * dd
			gvk += gd
			gv[l] -= gd
		}
		gv[perm[k]] += gvk
	}
}

// SoftSortMatrix returns the SoftSort matrix of the scores v (L): P (L, L)
// row-major, P[k,l] as in SoftSort (the hard one-hot if c.Hard). It is the
// matrix the reordering mixer builds from v = −s (docs/paper.md §5.2).
func SoftSortMatrix[T Float](c SoftSort, v []T) ([]T, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("model: softsort: empty score vector")
	}
	for i, x := range v {
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("model: softsort: score %d is %v", i, f)
		}
	}
	nl := len(v)
	phat := make([]T, nl*nl)
	p := phat
	if c.Hard {
		p = make([]T, nl*nl)
	}
	softSortForward(c, v, phat, p, make([]int, nl))
	return p, nil
}
