package model

import (
	"fmt"
	"math"
	"strings"
)

// SkipStat summarises the skip D (d_inner) of one layer: how many channels
// have D_c > 0 and D_c < 0, and the mean, minimum and maximum. Under the
// symmetry (neg, D, out_proj) ≡ (pos, −D, −out_proj) of refinement 1
// (docs/paper.md §13) the sign of D against that of μ = S_Cᵀ S_B says whether
// a channel's S6 path is aligned with its skip D·u.
type SkipStat struct {
	Layer    int     `json:"layer"`
	Positive int     `json:"positive"`
	Negative int     `json:"negative"`
	Mean     float64 `json:"mean"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
}

// NewSkipStat summarises the skip vector d of layer layer.
func NewSkipStat[T Float](layer int, d []T) SkipStat {
	s := SkipStat{Layer: layer, Min: math.Inf(1), Max: math.Inf(-1)}
	for _, v := range d {
		x := float64(v)
		switch {
		case x > 0:
			s.Positive++
		case x < 0:
			s.Negative++
		}
		s.Mean += x
		s.Min, s.Max = math.Min(s.Min, x), math.Max(s.Max, x)
	}
	if len(d) > 0 {
		s.Mean /= float64(len(d))
	}
	return s
}

// SkipStats returns the SkipStat of every layer of m, in order.
func (m *LM[T]) SkipStats() ([]SkipStat, error) {
	var out []SkipStat
	for _, p := range m.Params() {
		if strings.HasSuffix(p.Name, ".mixer.D") {
			out = append(out, NewSkipStat(len(out), p.W))
		}
	}
	if len(out) != m.cfg.NLayer {
		return nil, fmt.Errorf("model: skip stats: found %d D tensors for %d layers", len(out), m.cfg.NLayer)
	}
	return out, nil
}

// MirrorSkip negates the skip D and out_proj.weight of every layer: the
// image of m under the exact symmetry of refinement 1 (docs/paper.md §13).
// For a neg model the result computes the same function as the pos model
// with the same raw weights and the original D and out_proj, and vice versa:
//
//	(neg, D, out_proj) ≡ (pos, −D, −out_proj).
func (m *LM[T]) MirrorSkip() {
	for _, p := range m.Params() {
		if strings.HasSuffix(p.Name, ".mixer.D") || strings.HasSuffix(p.Name, ".mixer.out_proj.weight") {
			for i := range p.W {
				p.W[i] = -p.W[i]
			}
		}
	}
}
