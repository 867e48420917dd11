package lm

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// smokeSuffix ends the name of a smoke-test version of a pre-registered
// design (Quick).
const smokeSuffix = "-quick"

// LoadPrereg reads the pre-registration of r.Spec (Spec.Prereg, relative
// to root) into r.Prereg; a design without one leaves r.Prereg nil. A
// smoke version (Quick: the name of the pre-registered design + "-quick")
// gets SmokePrereg of it.
func (r *Result) LoadPrereg(root string) error {
	if r.Spec.Prereg == "" {
		r.Prereg = nil
		return nil
	}
	p, err := experiment.LoadPrereg(filepath.Join(root, filepath.FromSlash(r.Spec.Prereg)))
	if err != nil {
		return fmt.Errorf("lm: experiment %s: %w", r.Spec.Name, err)
	}
	switch {
	case p.Experiment == r.Spec.Name:
	case p.Experiment+smokeSuffix == r.Spec.Name:
		if p, err = SmokePrereg(p, r.Spec); err != nil {
			return err
		}
	default:
		return fmt.Errorf("lm: experiment %s: %s pre-registers experiment %q", r.Spec.Name, r.Spec.Prereg, p.Experiment)
	}
	r.Prereg = &p
	return nil
}

// SmokePrereg moves the pre-registration p onto the smoke-test design s:
// s's name and seeds, and every endpoint's depth replaced by s's first
// depth. The hypotheses, arms and rule stay; the verdicts it gives test the
// code path, not the paper.
func SmokePrereg(p experiment.Prereg, s Spec) (experiment.Prereg, error) {
	if len(s.Depths) == 0 {
		return p, fmt.Errorf("lm: smoke pre-registration for %s: no depth", s.Name)
	}
	return p.Smoke(s.Name, s.Seeds, func(e string) (string, error) {
		_, arms, ok := strings.Cut(e, ": ")
		if !ok {
			return "", fmt.Errorf("endpoint %q has no depth", e)
		}
		return s.Depths[0].Name() + ": " + arms, nil
	})
}
