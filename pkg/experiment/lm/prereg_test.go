package lm_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/repo"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
)

// The committed pre-registration and lm.Default describe one design: the
// same experiment name, seeds (in order), arms, updates and weight decays,
// and every hypothesis' endpoint names two arms of the design at its depth.
func TestPreregMatchesDefault(t *testing.T) {
	p := loadPrereg(t)
	s := lm.Default()
	if p.Experiment != s.Name {
		t.Errorf("pre-registration is for %q, lm.Default is %q", p.Experiment, s.Name)
	}
	seeds := make([]int64, len(s.Seeds))
	for i, v := range s.Seeds {
		seeds[i] = int64(v)
	}
	if !slices.Equal(p.Seeds, seeds) {
		t.Errorf("seeds %v, lm.Default has %v", p.Seeds, seeds)
	}
	var arms []string
	for _, a := range s.Arms {
		arms = append(arms, a.Name)
	}
	if !slices.Equal(p.Arms, arms) {
		t.Errorf("arms %v, lm.Default has %v", p.Arms, arms)
	}
	num := func(k string) string {
		v, ok := p.Budget[k]
		if !ok {
			t.Fatalf("budget has no %q", k)
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	if got := num("updates"); got != strconv.Itoa(s.Base.Train.Steps) {
		t.Errorf("budget updates %s, lm.Default trains %d", got, s.Base.Train.Steps)
	}
	if got := num("weight_decay_wd_arms"); got != strconv.FormatFloat(lm.AuthorsWeightDecay, 'g', -1, 64) {
		t.Errorf("budget weight_decay_wd_arms %s, lm.AuthorsWeightDecay %v", got, lm.AuthorsWeightDecay)
	}
	if got := num("weight_decay"); got != strconv.FormatFloat(s.Base.Train.WeightDecay, 'g', -1, 64) {
		t.Errorf("budget weight_decay %s, lm.Default has %v", got, s.Base.Train.WeightDecay)
	}
	if got := num("depth"); got != s.Depths[0].Name() || len(s.Depths) != 1 {
		t.Errorf("budget depth %s, lm.Default has %d depths, the first %s", got, len(s.Depths), s.Depths[0].Name())
	}
	for _, h := range p.Hypotheses {
		if _, _, _, err := lm.ParseEndpoint(s, h.Endpoint); err != nil {
			t.Errorf("%s: %v", h.ID, err)
		}
	}
}

// loadPrereg reads the repository's pre-registration of lm.Default.
func loadPrereg(t *testing.T) experiment.Prereg {
	t.Helper()
	root, err := repo.ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := experiment.LoadPrereg(filepath.Join(root, lm.PreregPath))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
