package lm

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// LoadPrereg reads the pre-registration of r.Spec (Spec.Prereg, relative
// to root) into r.Prereg; a design without one leaves r.Prereg nil. A
// smoke version (Quick: the name of the pre-registered design +
// experiment.SmokeSuffix) gets SmokePrereg of it.
func (r *Result) LoadPrereg(root string) error {
	r.Prereg = nil
	if r.Spec.Prereg == "" {
		return nil
	}
	p, err := experiment.LoadPreregFor(filepath.Join(root, filepath.FromSlash(r.Spec.Prereg)), r.Spec.Name,
		func(p experiment.Prereg) (experiment.Prereg, error) { return SmokePrereg(p, r.Spec) })
	if err != nil {
		return fmt.Errorf("lm: experiment %s: %w", r.Spec.Name, err)
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
