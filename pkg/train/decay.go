package train

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Weight-decay groupings of DecayGroups.
const (
	// DecayAll decays every parameter, A_log, D, biases and norm weights
	// included: the authors' optimizer, which configures no parameter
	// groups (paper.md §13).
	DecayAll = "all"
	// DecayMambaGroups exempts A_log, D, biases and norm weights (the
	// tensors the model marks NoDecay), as mamba_ssm's training recipes do.
	// Not the authors' setting.
	DecayMambaGroups = "mamba-groups"
)

// DecayGroups sets which of ps AdamW decays: with DecayAll it clears every
// NoDecay mark, with DecayMambaGroups it leaves the model's marks. Call it
// on a freshly built model, before NewAdamW.
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
