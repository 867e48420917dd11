package model

// meanPoolForward averages over positions: out[b,d] = (1/L) Σ_l x[b,l,d].
//
//	x    (B, L, D)
//	out  (B, D)     overwritten
func meanPoolForward[T Float](nb, nl, nd int, x, out []T) {
	inv := 1 / T(nl)
	for b := 0; b < nb; b++ {
		o := out[b*nd : (b+1)*nd]
		clear(o)
		for l := 0; l < nl; l++ {
			for d, v := range x[(b*nl+l)*nd : (b*nl+l+1)*nd] {
				o[d] += v
			}
		}
		for d := range o {
			o[d] *= inv
		}
	}
}

// meanPoolBackward: gx[b,l,d] = gout[b,d]/L (overwrites gx, (B, L, D)).
func meanPoolBackward[T Float](nb, nl, nd int, gout, gx []T) {
	inv := 1 / T(nl)
	for b := 0; b < nb; b++ {
		g := gout[b*nd : (b+1)*nd]
		for l := 0; l < nl; l++ {
			r := gx[(b*nl+l)*nd : (b*nl+l+1)*nd]
			for d, v := range g {
				r[d] = v * inv
			}
		}
	}
}
