package ode

import (
	"math"
	"sort"
)

// crossing reports whether an event with the given direction fires between
// the values gOld and gNew at the ends of an accepted step.
func crossing(dir int, gOld, gNew float64) bool {
	rising := gOld < 0 && gNew >= 0
	falling := gOld > 0 && gNew <= 0
	switch dir {
	case 1:
		return rising
	case -1:
		return falling
	}
	return rising || falling
}

// illinois finds a root of g on [0, 1] given g(0) = ga and g(1) = gb of
// opposite signs (or gb = 0), by the Illinois variant of regula falsi with a
// bisection safeguard. It returns θ with |bracket| ≤ 4 ε or after 200
// iterations.
func illinois(g func(theta float64) float64, ga, gb float64) float64 {
	if gb == 0 {
		return 1
	}
	a, b := 0.0, 1.0
	side := 0
	for it := 0; it < 200 && b-a > 4*eps; it++ {
		c := (a*gb - b*ga) / (gb - ga)
		if !(c > a && c < b) {
			c = 0.5 * (a + b)
		}
		gc := g(c)
		if gc == 0 {
			return c
		}
		if (gc > 0) == (gb > 0) {
			b, gb = c, gc
			if side == -1 {
				ga /= 2
			}
			side = -1
		} else {
			a, ga = c, gc
			if side == 1 {
				gb /= 2
			}
			side = 1
		}
	}
	// The event fires at the first point where the crossing has happened.
	return b
}

const eps = 0x1p-52

// locateEvents checks every event on the accepted step [s, s+h] whose
// continuous extension is prepared in the stepper. It appends the hits in
// time order to res.Events (non-terminal ones up to the first terminal one)
// and returns the index in res.Events of the terminal hit, or -1.
func (sv *Solver) locateEvents(res *Result, evs []Event, c clock, s, h float64, ynew []float64, gOld, gNew []float64) int {
	type hit struct {
		idx   int
		theta float64
	}
	var hits []hit
	for i, ev := range evs {
		gNew[i] = ev.G(c.toT(s+h), ynew)
		if !crossing(ev.Direction, gOld[i], gNew[i]) {
			continue
		}
		g := func(theta float64) float64 {
			sv.st.dense(theta, sv.xe)
			return ev.G(c.toT(s+theta*h), sv.xe)
		}
		hits = append(hits, hit{i, illinois(g, gOld[i], gNew[i])})
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].theta < hits[b].theta })
	for _, ht := range hits {
		x := make([]float64, len(ynew))
		if ht.theta == 1 {
			copy(x, ynew)
		} else {
			sv.st.dense(ht.theta, x)
		}
		res.Events = append(res.Events, EventHit{Index: ht.idx, T: c.toT(s + ht.theta*h), X: x})
		if evs[ht.idx].Terminal {
			return len(res.Events) - 1
		}
	}
	return -1
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
