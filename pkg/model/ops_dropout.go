package model

import "math/rand/v2"

// dropoutForward is inverted dropout (nn.Dropout in training mode): each
// element is kept with probability 1-p and scaled by 1/(1-p). mask receives
// the per-element multiplier (0 or 1/(1-p)) for the backward; x and y may
// alias. The mask is drawn from rng in element order, so a seed fixes it.
func dropoutForward[T Float](p float64, rng *rand.Rand, x, y, mask []T) {
	scale := T(1 / (1 - p))
	for i, v := range x {
		if rng.Float64() < p {
			mask[i] = 0
		} else {
			mask[i] = scale
		}
		y[i] = v * mask[i]
	}
}

// dropoutBackward: gx = gy ⊙ mask (gx may alias gy).
func dropoutBackward[T Float](mask, gy, gx []T) {
	for i, m := range mask {
		gx[i] = gy[i] * m
	}
}
