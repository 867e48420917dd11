package optim

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// DecayGroups sets which of ps AdamW decays by their NoDecay marks (the
// training loops that build their own AdamW use it; Trainer sets
// AdamW.DecayAll from Options.DecayGroups instead): with DecayAll it clears
// every mark, with DecayMamba it leaves the model's marks, with DecayTimm it
// marks exactly the parameters of at most one dimension. Call it on a
// freshly built model, before NewAdamW.
func DecayGroups[T mamba.Float](ps []*model.Param[T], groups string) error {
	switch groups {
	case model.DecayAll:
		for _, p := range ps {
			p.NoDecay = false
		}
	case model.DecayMamba:
	case model.DecayTimm:
		for _, p := range ps {
			p.NoDecay = len(p.Shape) <= 1
		}
	default:
		return fmt.Errorf("optim: weight-decay groups %q (want %q, %q or %q)", groups, model.DecayAll, model.DecayMamba, model.DecayTimm)
	}
	return nil
}
