package optim

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// The weight-decay groups of DecayGroups (and of the trainers' options).
const (
	// DecayAll decays every parameter, as the authors' optimizer (it has
	// no parameter groups).
	DecayAll = "all"
	// DecayMamba exempts A_log, D, biases and norm weights (the tensors the
	// model marks NoDecay), as mamba_ssm's and timm's recipes do.
	DecayMamba = "mamba"
)

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
	case DecayMamba:
	default:
		return fmt.Errorf("optim: weight-decay groups %q (want %q or %q)", groups, DecayAll, DecayMamba)
	}
	return nil
}
