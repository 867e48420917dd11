package ode

import "math"

// LogTime returns the right-hand side of the same problem written in the
// variable τ = ln(1 + t - t0): with t = t0 + e^τ - 1,
//
//	dx/dτ = (dt/dτ) f(t, x) = e^τ f(t0 + e^τ - 1, x).
//
// Solutions that change on the time scale of t itself (x ~ t^-½, x ~ ln t)
// are smooth with O(1) scales in τ, so an adaptive integrator needs O(ln T)
// steps to reach t = T instead of O(T^α). Integrate from τ = 0 to
// τ = LogTimeOf(T, t0) and map times back with TimeOfLog. Options.LogTime
// does all of this inside Solve.
func LogTime(f Func, t0 float64) Func {
	return func(tau float64, x, dxdt []float64) {
		em1 := math.Expm1(tau)
		f(t0+em1, x, dxdt)
		s := 1 + em1
		for i := range dxdt {
			dxdt[i] *= s
		}
	}
}

// LogTimeOf returns τ = ln(1 + t - t0), the log time of t (t > t0 - 1).
func LogTimeOf(t, t0 float64) float64 { return math.Log1p(t - t0) }

// TimeOfLog returns t = t0 + e^τ - 1, the inverse of LogTimeOf.
func TimeOfLog(tau, t0 float64) float64 { return t0 + math.Expm1(tau) }

// clock maps between the user's time t and the integration variable s
// (s = t, or s = τ = ln(1 + t - t0) when log is set).
type clock struct {
	log bool
	t0  float64
}

func (c clock) toT(s float64) float64 {
	if !c.log {
		return s
	}
	return TimeOfLog(s, c.t0)
}

func (c clock) toS(t float64) float64 {
	if !c.log {
		return t
	}
	return LogTimeOf(t, c.t0)
}

// dtds is dt/ds at s.
func (c clock) dtds(s float64) float64 {
	if !c.log {
		return 1
	}
	return math.Exp(s)
}

// span returns t(s) - t(s-h) computed without cancellation.
func (c clock) span(s, h float64) float64 {
	if !c.log {
		return h
	}
	return math.Exp(s-h) * math.Expm1(h)
}
