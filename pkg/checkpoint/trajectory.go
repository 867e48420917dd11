package checkpoint

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Trajectories are the measured token trajectories through depth of one
// sequence, the counterpart of the theory's t → ∞ picture (depth plays the
// role of time). For token l (position in the sequence) and block i:
//
//	ResidualNorm[l]   (n_layer+1)  ‖r_i‖ entering block i; [n_layer] is the last residual stream
//	UpdateNorm[l]     (n_layer)    ‖r_{i+1} − r_i‖, the block's update
//	SelfInteract[l]   (n_layer)    u_lᵀ μ u_l = C_l · B_l at block i (u_l the S6 input)
//	AlignedWithSkip[l] (n_layer)   the fraction of channels c with sign D_c = sign(u_lᵀ μ u_l):
//	                               where the token's S6 self-interaction has the skip's sign
type Trajectories struct {
	Tokens          []int32     `json:"tokens"`
	ResidualNorm    [][]float64 `json:"residual_norm"`
	UpdateNorm      [][]float64 `json:"update_norm"`
	SelfInteract    [][]float64 `json:"self_interaction"`
	AlignedWithSkip [][]float64 `json:"aligned_with_skip"`
}

// Trace runs tokens (ids < Vocab) through m with the recurrent step and
// records their trajectories; d[i] is block i's skip D (d_inner).
func Trace(m *model.LM[float64], d [][]float64, tokens []int32) (*Trajectories, error) {
	cfg := m.Config()
	if len(tokens) == 0 {
		return nil, fmt.Errorf("checkpoint: trace: no tokens")
	}
	if len(d) != cfg.NLayer {
		return nil, fmt.Errorf("checkpoint: trace: %d skip vectors for %d layers", len(d), cfg.NLayer)
	}
	st := m.NewState()
	logits := make([]float64, cfg.Vocab)
	var tr model.StepTrace
	out := &Trajectories{Tokens: append([]int32(nil), tokens...)}
	for pos, tok := range tokens {
		if err := m.Step(st, tok, logits, &tr); err != nil {
			return nil, fmt.Errorf("checkpoint: trace: token %d (position %d): %w", tok, pos, err)
		}
		al := make([]float64, cfg.NLayer)
		for i, s := range tr.SelfInteract {
			k := 0
			for _, v := range d[i] {
				if signOf(v) == signOf(s) && s != 0 {
					k++
				}
			}
			al[i] = float64(k) / float64(len(d[i]))
		}
		out.ResidualNorm = append(out.ResidualNorm, append([]float64(nil), tr.Residual...))
		out.UpdateNorm = append(out.UpdateNorm, append([]float64(nil), tr.Update...))
		out.SelfInteract = append(out.SelfInteract, append([]float64(nil), tr.SelfInteract...))
		out.AlignedWithSkip = append(out.AlignedWithSkip, al)
	}
	return out, nil
}
