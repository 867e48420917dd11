package vision

import (
	"fmt"
	"math/rand/v2"
)

// Set is a labelled set of grey-scale images: Images is (N, H, W) with
// pixels in [0, 1], Labels is (N).
type Set struct {
	N, H, W int
	Images  []float32
	Labels  []uint8
}

// Image returns image i, (H, W).
func (s *Set) Image(i int) []float32 {
	n := s.H * s.W
	return s.Images[i*n : (i+1)*n]
}

// Subset copies the images and labels at the given indices, in that order.
func (s *Set) Subset(idx []int) (*Set, error) {
	n := s.H * s.W
	out := &Set{N: len(idx), H: s.H, W: s.W, Images: make([]float32, 0, len(idx)*n), Labels: make([]uint8, 0, len(idx))}
	for _, i := range idx {
		if i < 0 || i >= s.N {
			return nil, fmt.Errorf("vision: subset index %d out of range 0..%d", i, s.N-1)
		}
		out.Images = append(out.Images, s.Image(i)...)
		out.Labels = append(out.Labels, s.Labels[i])
	}
	return out, nil
}

// SplitIndices splits the examples 0..len(labels)−1 into a training and a
// validation part, stratified by class: for every class c, round(frac·n_c)
// of its n_c examples, drawn with rand.New(rand.NewPCG(seed, seed)), go to
// validation. Both index lists are returned in increasing order. The result
// is a pure function of (labels, frac, seed).
func SplitIndices(labels []uint8, frac float64, seed uint64) (train, valid []int, err error) {
	if !(frac >= 0 && frac <= 1) {
		return nil, nil, fmt.Errorf("vision: validation fraction %v is not in [0, 1]", frac)
	}
	var byClass [256][]int
	for i, l := range labels {
		byClass[l] = append(byClass[l], i)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	inValid := make([]bool, len(labels))
	for c := range byClass {
		idx := byClass[c]
		if len(idx) == 0 {
			continue
		}
		k := int(frac*float64(len(idx)) + 0.5)
		for _, j := range rng.Perm(len(idx))[:k] {
			inValid[idx[j]] = true
		}
	}
	for i, v := range inValid {
		if v {
			valid = append(valid, i)
		} else {
			train = append(train, i)
		}
	}
	return train, valid, nil
}

// Split is SplitIndices applied to s: it returns copies of the two parts.
func (s *Set) Split(frac float64, seed uint64) (train, valid *Set, err error) {
	ti, vi, err := SplitIndices(s.Labels, frac, seed)
	if err != nil {
		return nil, nil, err
	}
	if train, err = s.Subset(ti); err != nil {
		return nil, nil, err
	}
	if valid, err = s.Subset(vi); err != nil {
		return nil, nil, err
	}
	return train, valid, nil
}

// ClassCounts returns the number of examples of each class 0..k−1.
func (s *Set) ClassCounts(k int) []int {
	counts := make([]int, k)
	for _, l := range s.Labels {
		if int(l) < k {
			counts[l]++
		}
	}
	return counts
}
