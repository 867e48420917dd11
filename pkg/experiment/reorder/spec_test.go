package reorder

import (
	"strings"
	"testing"
)

// tinySpec is Quick with a small model.
func tinySpec() Spec {
	s := Quick()
	s.Patches = []int{7, 4}
	s.DModel, s.NLayer, s.Batch, s.Epochs, s.Probe = 8, 2, 8, 2, 4
	s.Seeds = []uint64{1, 2, 3}
	return s
}

// The arms' settings are checked: the authors' is soft at τ = 1.
func TestValidateArms(t *testing.T) {
	for name, a := range map[string]Arm{
		"authors hard":  {Name: "x", Reorder: true, Tau: 1, Hard: true, Authors: true},
		"authors τ 0.5": {Name: "x", Reorder: true, Tau: 0.5, Authors: true},
		"zero τ":        {Name: "x", Reorder: true, Hard: true},
	} {
		s := tinySpec()
		s.Arms = append(s.Arms, a)
		if err := s.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := tinySpec().Validate(); err != nil {
		t.Error(err)
	}
}

// Legends use Short: distinct per arm, short enough for a panel, and still
// saying which setting is the authors'.
func TestArmShortLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Default().Arms {
		s := a.Short()
		if seen[s] || len([]rune(s)) > 45 {
			t.Errorf("arm %s: short label %q repeated or longer than 45 characters", a.Name, s)
		}
		seen[s] = true
		if a.Reorder && strings.Contains(s, "(the authors')") != a.Authors {
			t.Errorf("arm %s: short label %q and Authors = %v disagree", a.Name, s, a.Authors)
		}
	}
}
