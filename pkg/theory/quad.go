package theory

import "math"

// gk15 integrates f over [a, b] with the Kronrod rule and returns the
// estimate and |Kronrod - Gauss|.
func gk15(f func(float64) float64, a, b float64) (float64, float64) {
	// Gauss–Kronrod 7-15 nodes and weights on [-1, 1] (QUADPACK qk15): xgk[1],
	// xgk[3], xgk[5], xgk[7] are the 7-point Gauss nodes with weights wg.
	xgk := [8]float64{
		0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
		0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
		0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
		0.207784955007898467600689403773245, 0,
	}
	wgk := [8]float64{
		0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
		0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
		0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
		0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
	}
	wg := [4]float64{
		0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
		0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
	}

	c, h := 0.5*(a+b), 0.5*(b-a)
	fc := f(c)
	resK, resG := fc*wgk[7], fc*wg[3]
	for j := 0; j < 7; j++ {
		dx := h * xgk[j]
		s := f(c-dx) + f(c+dx)
		resK += wgk[j] * s
		if j%2 == 1 {
			resG += wg[j/2] * s
		}
	}
	return resK * h, math.Abs((resK - resG) * h)
}

// integrate is adaptive Gauss–Kronrod quadrature of f over [a, b] by
// recursive bisection until the local error estimate is below
// tol·|local integral| (or the depth limit). f must be finite on [a, b]
// (the Kronrod nodes never touch the end points).
func integrate(f func(float64) float64, a, b, tol float64) float64 {
	var rec func(a, b, whole, err float64, depth int) float64
	rec = func(a, b, whole, err float64, depth int) float64 {
		if err <= tol*math.Abs(whole) || err < 1e-300 || depth > 40 {
			return whole
		}
		m := 0.5 * (a + b)
		l, el := gk15(f, a, m)
		r, er := gk15(f, m, b)
		return rec(a, m, l, el, depth+1) + rec(m, b, r, er, depth+1)
	}
	v, e := gk15(f, a, b)
	return rec(a, b, v, e, 0)
}
