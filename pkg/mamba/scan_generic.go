package mamba

import "math"

// The portable row kernels: plain Go loops over the plan's layout, used for
// float64 always (with the exact math.Exp) and for float32 when no assembly
// kernel applies (with fastExp32).

// rowGeneric64 runs the recurrence of row (b, d) in float64:
//
//	h_l = exp(Δ_l A_d) ⊙ h_{l-1} + Δ_l u_l B_l,   y_l = C_lᵀ h_l (+ D_d u_l) (· SiLU(z_l)).
func rowGeneric64(p *scanPlan[float64], s *rowScratch[float64], b, d int) {
	a := p.a
	nl, nn := a.Len, a.State
	i0 := (b*a.Dim + d) * nl
	u, delta, y := a.U[i0:i0+nl], a.Delta[i0:i0+nl], p.res.Y[i0:i0+nl]
	bias := 0.0
	if a.DeltaBias != nil {
		bias = a.DeltaBias[d]
	}
	arow := p.apad[d*p.np : d*p.np+nn]
	h := s.h[:nn]
	clear(h)
	bt, bs := p.bRow(b, d)
	ct, cs := p.cRow(b, d)
	for l := range nl {
		dt := delta[l] + bias
		if a.DeltaSoftplus {
			dt = Softplus(dt)
		}
		du := dt * u[l]
		bl, cl := bt[l*bs:l*bs+nn], ct[l*cs:l*cs+nn]
		var acc float64
		for n, an := range arow {
			hn := math.Exp(dt*an)*h[n] + du*bl[n]
			h[n] = hn
			acc += cl[n] * hn
		}
		y[l] = acc
	}
	copy(p.res.LastState[(b*a.Dim+d)*nn:], h)
	finishRow(y, u, a.Z, i0, a.D, d)
}

// rowGeneric32 is rowGeneric64 for float32, with Δ computed in float64 and
// the polynomial fastExp32 for exp(Δ A).
func rowGeneric32(p *scanPlan[float32], s *rowScratch[float32], b, d int) {
	a := p.a
	nl, nn := a.Len, a.State
	i0 := (b*a.Dim + d) * nl
	u, delta, y := a.U[i0:i0+nl], a.Delta[i0:i0+nl], p.res.Y[i0:i0+nl]
	bias := 0.0
	if a.DeltaBias != nil {
		bias = float64(a.DeltaBias[d])
	}
	arow := p.apad[d*p.np : d*p.np+nn]
	h := s.h[:nn]
	clear(h)
	bt, bs := p.bRow(b, d)
	ct, cs := p.cRow(b, d)
	for l := range nl {
		dt64 := float64(delta[l]) + bias
		if a.DeltaSoftplus {
			dt64 = Softplus(dt64)
		}
		dt := float32(dt64)
		du := dt * u[l]
		bl, cl := bt[l*bs:l*bs+nn], ct[l*cs:l*cs+nn]
		var acc float32
		for n, an := range arow {
			hn := fastExp32(dt*an)*h[n] + du*bl[n]
			h[n] = hn
			acc += cl[n] * hn
		}
		y[l] = acc
	}
	copy(p.res.LastState[(b*a.Dim+d)*nn:], h)
	finishRow(y, u, a.Z, i0, a.D, d)
}

// finishRow applies the skip and the gate to a row: y_l = (y_l + D_d u_l) ·
// SiLU(z_l), each part only when present.
func finishRow[E Float](y, u, z []E, i0 int, dskip []E, d int) {
	if dskip != nil {
		dd := dskip[d]
		for l := range y {
			y[l] += dd * u[l]
		}
	}
	if z != nil {
		zr := z[i0 : i0+len(y)]
		for l := range y {
			y[l] = E(float64(y[l]) * SiLU(float64(zr[l])))
		}
	}
}
