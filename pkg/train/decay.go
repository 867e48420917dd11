package train

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// DecayMambaGroups is DecayMamba under the name the reordering experiment
// uses: exempt A_log, D, biases and norm weights (the tensors the model marks
// NoDecay), as mamba_ssm's training recipes do. Not the authors' setting.
const DecayMambaGroups = DecayMamba

// DecayGroups sets which of ps AdamW decays by their NoDecay marks (the
// training loops that build their own AdamW use it; Trainer sets
// AdamW.DecayAll from Options.DecayGroups instead): with DecayAll it clears
// every mark, with DecayMamba it leaves the model's marks. Call it on a
// freshly built model, before NewAdamW.
func DecayGroups[T mamba.Float](ps []*model.Param[T], groups string) error {
	switch groups {
	case DecayAll:
		for _, p := range ps {
			p.NoDecay = false
		}
	case DecayMambaGroups:
	default:
		return fmt.Errorf("train: weight-decay groups %q (want %q or %q)", groups, DecayAll, DecayMambaGroups)
	}
	return nil
}
