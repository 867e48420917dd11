package model

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// XProjSystem returns the continuous-time token dynamics of the theory
// (docs/paper.md §2.1) whose input and output projections are those of an
// effective x_proj weight: S_B and S_C are its rows dtRank … dtRank+N−1 and
// dtRank+N … dtRank+2N−1 (eff has shape (dtRank+2N, d), rows [S'_Δ; S_B;
// S_C], as EffectiveXProj returns it). The theory's step projection S_Δ
// (d, d) and the diagonal state matrices A (d, N), entries < 0, are given
// by the caller: in a real block S_Δ = dt_proj.weight · S'_Δ has rank ≤
// dtRank and A = −exp(A_log), but the theory treats them as free.
//
// The slices of eff are copied, so the system does not alias the weight.
// This is the bridge from a refinement-1 parametrization (ParametrizeXProj)
// to the theory's simulations and spectral classifier.
func XProjSystem[T Float](eff []T, dtRank, nState, d int, sDelta, a []float64) (*theory.System, error) {
	if dtRank < 0 || nState < 1 || d < 1 || len(eff) != (dtRank+2*nState)*d {
		return nil, fmt.Errorf("model: x_proj system: weight has %d elements, want (%d+2·%d)×%d", len(eff), dtRank, nState, d)
	}
	rows := func(r0 int) []float64 {
		out := make([]float64, nState*d)
		for i, v := range eff[r0*d : (r0+nState)*d] {
			out[i] = float64(v)
		}
		return out
	}
	s := &theory.System{D: d, N: nState, SB: rows(dtRank), SC: rows(dtRank + nState),
		SDelta: append([]float64(nil), sDelta...), A: append([]float64(nil), a...)}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("model: x_proj system: %w", err)
	}
	return s, nil
}
