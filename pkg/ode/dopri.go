package ode

import "math"

// Dormand–Prince 5(4) coefficients (Dormand & Prince 1980; Hairer, Nørsett
// & Wanner, Solving ODEs I, §II.5, Table 5.2). The 5th-order solution uses
// the weights of row 7 (FSAL: stage 7 is f at the new point); e = b - b̂ are
// the error weights; d are the weights of the 4th-order continuous
// extension (Hairer's dopri5, CONTD5).
const (
	c2, c3, c4, c5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	a21 = 1.0 / 5
	a31 = 3.0 / 40
	a32 = 9.0 / 40
	a41 = 44.0 / 45
	a42 = -56.0 / 15
	a43 = 32.0 / 9
	a51 = 19372.0 / 6561
	a52 = -25360.0 / 2187
	a53 = 64448.0 / 6561
	a54 = -212.0 / 729
	a61 = 9017.0 / 3168
	a62 = -355.0 / 33
	a63 = 46732.0 / 5247
	a64 = 49.0 / 176
	a65 = -5103.0 / 18656
	a71 = 35.0 / 384
	a73 = 500.0 / 1113
	a74 = 125.0 / 192
	a75 = -2187.0 / 6784
	a76 = 11.0 / 84

	e1 = 71.0 / 57600
	e3 = -71.0 / 16695
	e4 = 71.0 / 1920
	e5 = -17253.0 / 339200
	e6 = 22.0 / 525
	e7 = -1.0 / 40

	d1 = -12715105075.0 / 11282082432
	d3 = 87487479700.0 / 32700410799
	d4 = -10690763975.0 / 1880347072
	d5 = 701980252875.0 / 199316789632
	d6 = -1453857185.0 / 822651844
	d7 = 69997945.0 / 29380423
)

// stepper holds the stage vectors and the dense-output coefficients of one
// Dormand–Prince step; it is reused between steps and between solves.
type stepper struct {
	k    [7][]float64 // k[0] = f(t, y) (FSAL), k[6] = f(t+h, ynew)
	tmp  []float64
	ynew []float64
	cont [5][]float64 // continuous extension on the last accepted step
}

func (s *stepper) resize(n int) {
	grow := func(v []float64) []float64 {
		if cap(v) >= n {
			return v[:n]
		}
		return make([]float64, n)
	}
	for i := range s.k {
		s.k[i] = grow(s.k[i])
	}
	for i := range s.cont {
		s.cont[i] = grow(s.cont[i])
	}
	s.tmp = grow(s.tmp)
	s.ynew = grow(s.ynew)
}

// step computes one trial step of size h from (t, y), with s.k[0] = f(t, y)
// already set. It fills s.ynew and s.k[1..6] and returns the scaled error
// norm (+Inf when a stage or the new state is not finite) and the number of
// evaluations of f (always 6).
func (s *stepper) step(f Func, t, h float64, y []float64, rtol, atol float64) float64 {
	k1, k2, k3, k4, k5, k6, k7 := s.k[0], s.k[1], s.k[2], s.k[3], s.k[4], s.k[5], s.k[6]
	tmp, yn := s.tmp, s.ynew
	for i := range y {
		tmp[i] = y[i] + h*a21*k1[i]
	}
	f(t+c2*h, tmp, k2)
	for i := range y {
		tmp[i] = y[i] + h*(a31*k1[i]+a32*k2[i])
	}
	f(t+c3*h, tmp, k3)
	for i := range y {
		tmp[i] = y[i] + h*(a41*k1[i]+a42*k2[i]+a43*k3[i])
	}
	f(t+c4*h, tmp, k4)
	for i := range y {
		tmp[i] = y[i] + h*(a51*k1[i]+a52*k2[i]+a53*k3[i]+a54*k4[i])
	}
	f(t+c5*h, tmp, k5)
	for i := range y {
		tmp[i] = y[i] + h*(a61*k1[i]+a62*k2[i]+a63*k3[i]+a64*k4[i]+a65*k5[i])
	}
	f(t+h, tmp, k6)
	for i := range y {
		yn[i] = y[i] + h*(a71*k1[i]+a73*k3[i]+a74*k4[i]+a75*k5[i]+a76*k6[i])
	}
	f(t+h, yn, k7)
	var sum float64
	for i := range y {
		e := h * (e1*k1[i] + e3*k3[i] + e4*k4[i] + e5*k5[i] + e6*k6[i] + e7*k7[i])
		sk := atol + rtol*math.Max(math.Abs(y[i]), math.Abs(yn[i]))
		var q float64
		if sk > 0 {
			q = e / sk
		} else if e != 0 {
			q = math.Inf(1)
		}
		sum += q * q
	}
	err := math.Sqrt(sum / float64(len(y)))
	if math.IsNaN(err) || math.IsInf(err, 0) || !finite(yn) {
		return math.Inf(1)
	}
	return err
}

// prepareDense computes the continuous-extension coefficients of the
// accepted step (t, y) -> (t+h, ynew); call it before the FSAL swap.
func (s *stepper) prepareDense(h float64, y []float64) {
	k := s.k
	r1, r2, r3, r4, r5 := s.cont[0], s.cont[1], s.cont[2], s.cont[3], s.cont[4]
	for i := range y {
		ydiff := s.ynew[i] - y[i]
		bspl := h*k[0][i] - ydiff
		r1[i] = y[i]
		r2[i] = ydiff
		r3[i] = bspl
		r4[i] = ydiff - h*k[6][i] - bspl
		r5[i] = h * (d1*k[0][i] + d3*k[2][i] + d4*k[3][i] + d5*k[4][i] + d6*k[5][i] + d7*k[6][i])
	}
}

// stiffness returns h·‖k7 - k6‖/‖x_new - x6‖, Hairer's estimate of h|λ|
// for the dominant eigenvalue λ of the Jacobian, after a step (x6 is the
// stage-6 state, still in tmp).
func (s *stepper) stiffness(h float64) float64 {
	var num, den float64
	for i := range s.ynew {
		a := s.k[6][i] - s.k[5][i]
		b := s.ynew[i] - s.tmp[i]
		num += a * a
		den += b * b
	}
	if den == 0 {
		return 0
	}
	return h * math.Sqrt(num/den)
}

// dense evaluates the continuous extension at θ = (t - t_old)/h ∈ [0, 1]
// into dst (4th order: local error O(h⁵)).
func (s *stepper) dense(theta float64, dst []float64) {
	t1 := 1 - theta
	r1, r2, r3, r4, r5 := s.cont[0], s.cont[1], s.cont[2], s.cont[3], s.cont[4]
	for i := range dst {
		dst[i] = r1[i] + theta*(r2[i]+t1*(r3[i]+theta*(r4[i]+t1*r5[i])))
	}
}

func finite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
