package ode

import "math"

// ExtrapolateBlowUp estimates, from the last accepted points of a solution
// (oldest first, as in Result.Last), the time T* at which component i blows
// up, assuming the local power law |x_i(t)| ≈ C (T* - t)^-β.
//
// For such a law r = x_i/x_i' = (T* - t)/β is linear in t, so the zero of
// the line through the last two values of r gives T* and its slope gives
// -1/β; this is the extrapolation of |x|^-k to zero with the exponent k = 1/β
// fitted instead of assumed (k = 3 for x' = x⁴, k = 2 for x' = x³). The
// error estimate is the difference with the same extrapolation one point
// earlier (with only two points: the whole remaining gap T* - t_last).
//
// ok is false when fewer than two points are given or when r does not
// decrease towards zero (component i is not blowing up).
func ExtrapolateBlowUp(pts []Point, i int) (tstar, errEst, beta float64, ok bool) {
	var ts, hs, xs, fs [3]float64
	m := len(pts)
	if m > 3 {
		pts = pts[m-3:]
		m = 3
	}
	for k, p := range pts {
		if i < 0 || i >= len(p.X) || i >= len(p.DXDT) {
			return 0, 0, 0, false
		}
		ts[k], hs[k], xs[k], fs[k] = p.T, p.H, p.X[i], p.DXDT[i]
	}
	return extrapolate(ts[:m], hs[:m], xs[:m], fs[:m])
}

// extrapolate implements ExtrapolateBlowUp on raw arrays: times t, steps h
// (h[k] = t[k] - t[k-1], used instead of the difference of rounded times),
// component values x and derivatives f.
func extrapolate(t, h, x, f []float64) (tstar, errEst, beta float64, ok bool) {
	m := len(t)
	if m < 2 {
		return 0, 0, 0, false
	}
	r := func(k int) (float64, bool) {
		if f[k] == 0 {
			return 0, false
		}
		v := x[k] / f[k]
		return v, v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	ra, okA := r(m - 2)
	rb, okB := r(m - 1)
	if !okA || !okB || !(h[m-1] > 0) {
		return 0, 0, 0, false
	}
	slope := (rb - ra) / h[m-1]
	if !(slope < 0) {
		return 0, 0, 0, false
	}
	tstar = t[m-1] - rb/slope
	beta = -1 / slope
	errEst = tstar - t[m-1]
	if m == 3 && h[1] > 0 {
		if r0, ok0 := r(0); ok0 {
			if s0 := (ra - r0) / h[1]; s0 < 0 {
				errEst = math.Abs(tstar - (t[1] - ra/s0))
			}
		}
	}
	return tstar, errEst, beta, true
}

// history keeps the last three accepted points in the integration variable.
type history struct {
	n       int
	t, h    [3]float64
	x, dxdt [3][]float64
}

func (hs *history) reset(n int) {
	hs.n = 0
	for k := range hs.x {
		if cap(hs.x[k]) < n {
			hs.x[k] = make([]float64, n)
			hs.dxdt[k] = make([]float64, n)
		}
		hs.x[k] = hs.x[k][:n]
		hs.dxdt[k] = hs.dxdt[k][:n]
	}
}

func (hs *history) push(t, h float64, x, dxdt []float64) {
	if hs.n == 3 {
		hs.x[0], hs.x[1], hs.x[2] = hs.x[1], hs.x[2], hs.x[0]
		hs.dxdt[0], hs.dxdt[1], hs.dxdt[2] = hs.dxdt[1], hs.dxdt[2], hs.dxdt[0]
		hs.t[0], hs.t[1] = hs.t[1], hs.t[2]
		hs.h[0], hs.h[1] = hs.h[1], hs.h[2]
		hs.n = 2
	}
	k := hs.n
	hs.t[k], hs.h[k] = t, h
	copy(hs.x[k], x)
	copy(hs.dxdt[k], dxdt)
	hs.n++
}

// estimate extrapolates the blow-up of the largest component of the newest
// point, in the integration variable.
func (hs *history) estimate() (tstar, errEst, beta float64, ok bool) {
	if hs.n < 2 {
		return 0, 0, 0, false
	}
	last := hs.x[hs.n-1]
	imax := 0
	for i, v := range last {
		if math.Abs(v) > math.Abs(last[imax]) {
			imax = i
		}
	}
	var xs, fs [3]float64
	for k := 0; k < hs.n; k++ {
		xs[k], fs[k] = hs.x[k][imax], hs.dxdt[k][imax]
	}
	return extrapolate(hs.t[:hs.n], hs.h[:hs.n], xs[:hs.n], fs[:hs.n])
}
