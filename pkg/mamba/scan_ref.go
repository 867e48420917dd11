package mamba

import "math"

// ScanRef is the plain sequential selective scan, written to mirror
// selective_scan_ref line by line and kept slow on purpose: it is the
// reference every faster kernel is tested against. All arithmetic is done in
// float64 and rounded to T at the end.
//
// For every batch element b and channel d, with h_0 = 0:
//
//	Δ_l = softplus(delta_l + bias)            (or delta_l + bias)
//	h_l = exp(Δ_l A_d) ⊙ h_{l-1} + Δ_l B_l u_l
//	y_l = C_lᵀ h_l + D_d u_l,  then  y_l · SiLU(z_l)
//
// Shapes are those of ScanArgs; the result holds Y (B,D,L) and
// LastState (B,D,N).
func ScanRef[T Float](a *ScanArgs[T]) (*ScanResult[T], error) {
	if err := a.validateLayout(ChannelMajor, "ScanRef"); err != nil {
		return nil, err
	}
	nb, nd, nl, nn := a.Batch, a.Dim, a.Len, a.State
	res := &ScanResult[T]{Y: make([]T, nb*nd*nl), LastState: make([]T, nb*nd*nn)}
	h := make([]float64, nn)
	for b := 0; b < nb; b++ {
		for d := 0; d < nd; d++ {
			for n := range h {
				h[n] = 0
			}
			for l := 0; l < nl; l++ {
				i := (b*nd+d)*nl + l
				dt := a.step(i, d)
				u := float64(a.U[i])
				var y float64
				for n := 0; n < nn; n++ {
					bn := float64(a.bAt(b, d, n, l))
					cn := float64(a.cAt(b, d, n, l))
					h[n] = math.Exp(dt*float64(a.A[d*nn+n]))*h[n] + dt*bn*u
					y += cn * h[n]
				}
				if a.D != nil {
					y += float64(a.D[d]) * u
				}
				if a.Z != nil {
					y *= SiLU(float64(a.Z[i]))
				}
				res.Y[i] = T(y)
			}
			for n := 0; n < nn; n++ {
				res.LastState[(b*nd+d)*nn+n] = T(h[n])
			}
		}
	}
	return res, nil
}

// bAt returns B for batch b, channel d, state n, position l.
func (a *ScanArgs[T]) bAt(b, d, n, l int) T {
	if a.VarB {
		return a.B[(b*a.State+n)*a.Len+l]
	}
	return a.B[d*a.State+n]
}

// cAt returns C for batch b, channel d, state n, position l.
func (a *ScanArgs[T]) cAt(b, d, n, l int) T {
	if a.VarC {
		return a.C[(b*a.State+n)*a.Len+l]
	}
	return a.C[d*a.State+n]
}
