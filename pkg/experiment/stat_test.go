package experiment

import (
	"math"
	"testing"
)

func TestStat(t *testing.T) {
	s := NewStat([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	// mean 5, Σ(x−5)² = 32, sample variance 32/7
	if s.Mean != 5 || math.Abs(s.SD-math.Sqrt(32.0/7)) > 1e-15 || s.Min != 2 || s.Max != 9 || s.N != 8 {
		t.Errorf("%+v", s)
	}
	if one := NewStat([]float64{3}); one.SD != 0 || one.Mean != 3 {
		t.Errorf("%+v", one)
	}
}
