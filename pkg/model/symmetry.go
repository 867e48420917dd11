package model

import "fmt"

// Negate applies the exact symmetry of refinement 1 (docs/paper.md §13) to
// every layer of an unconstrained model (Param "none"):
//
//	(μ, D, out_proj) → (−μ, −D, −out_proj)
//
// by negating the S_C rows of x_proj (so μ = S_Cᵀ S_B changes sign), the
// skip D and out_proj. The block's output y·out_projᵀ, with
// y = C h + D u, changes sign twice, so the network computes the same
// function (the logits bit for bit: negation is exact), while the inertia of
// μ, the scenario and the signs of D flip. A parametrized model (pos, neg,
// mixed) is refused: there the map is pos ↔ neg with −D, −out_proj on the
// raw tensors (the tests of this package).
func (m *LM[T]) Negate() error {
	if m.cfg.Param != "" && m.cfg.Param != ParamNone {
		return fmt.Errorf("model: negate: parametrization %q: the map is defined on the effective x_proj of a %q model", m.cfg.Param, ParamNone)
	}
	r, n := m.dims.dtRank, m.dims.nState
	for i, b := range m.blocks {
		mx, ok := b.mix.(*mambaMixer[T])
		if !ok {
			return fmt.Errorf("model: negate: layer %d is not a Mamba mixer", i)
		}
		di := mx.dims.dInner
		for j := (r + n) * di; j < (r+2*n)*di; j++ {
			mx.xProj.W[j] = -mx.xProj.W[j]
		}
		for _, p := range []*Param[T]{mx.dSkip, mx.outProj} {
			for j := range p.W {
				p.W[j] = -p.W[j]
			}
		}
	}
	return nil
}
