package experiment

import "fmt"

// Governs checks that p pre-registers the design named name with exactly
// these seeds and arms, in this order: a verdict computed by p's rule on
// another design's data would be a verdict nobody registered.
func (p Prereg) Governs(name string, seeds []uint64, arms []string) error {
	if p.Experiment != name {
		return fmt.Errorf("experiment: pre-registration of %q applied to experiment %s", p.Experiment, name)
	}
	if len(p.Seeds) != len(seeds) {
		return fmt.Errorf("experiment: pre-registration has %d seeds, experiment %s %d", len(p.Seeds), name, len(seeds))
	}
	for i, s := range p.Seeds {
		if s < 0 || uint64(s) != seeds[i] {
			return fmt.Errorf("experiment: pre-registered seed %d at position %d, experiment %s has %d", s, i, name, seeds[i])
		}
	}
	if len(p.Arms) != len(arms) {
		return fmt.Errorf("experiment: pre-registration has %d arms, experiment %s %d", len(p.Arms), name, len(arms))
	}
	for i, a := range p.Arms {
		if a != arms[i] {
			return fmt.Errorf("experiment: pre-registered arm %q at position %d, experiment %s has %q", a, i, name, arms[i])
		}
	}
	return nil
}

// Smoke moves p onto a smoke-test version of its design (the same
// hypotheses, arms and rule; another name and fewer seeds): the verdicts it
// gives test the code path, not the claims. endpoint rewrites each
// hypothesis' endpoint (nil: unchanged), e.g. to the smoke design's one
// depth.
func (p Prereg) Smoke(name string, seeds []uint64, endpoint func(string) (string, error)) (Prereg, error) {
	q := p
	q.Experiment = name
	q.Seeds = make([]int64, len(seeds))
	for i, v := range seeds {
		q.Seeds[i] = int64(v)
	}
	q.Hypotheses = append([]Hypothesis(nil), p.Hypotheses...)
	if endpoint != nil {
		for i, h := range q.Hypotheses {
			e, err := endpoint(h.Endpoint)
			if err != nil {
				return p, fmt.Errorf("experiment: smoke pre-registration for %s: %w", name, err)
			}
			q.Hypotheses[i].Endpoint = e
		}
	}
	if err := q.Validate(); err != nil {
		return p, fmt.Errorf("experiment: smoke pre-registration for %s: %w", name, err)
	}
	return q, nil
}

// SmokeSuffix ends the name of a smoke-test version of a pre-registered
// design (an experiment's Quick specification).
const SmokeSuffix = "-quick"

// LoadPreregFor reads the pre-registration at path for the design named
// name: the file's own when it names that design; for its smoke version
// (the registered name + SmokeSuffix), smoke(p) of it. Any other design is
// an error.
func LoadPreregFor(path, name string, smoke func(Prereg) (Prereg, error)) (Prereg, error) {
	p, err := LoadPrereg(path)
	if err != nil {
		return p, err
	}
	switch {
	case p.Experiment == name:
		return p, nil
	case p.Experiment+SmokeSuffix == name:
		return smoke(p)
	}
	return p, fmt.Errorf("experiment: %s pre-registers experiment %q, not %s", path, p.Experiment, name)
}

// DecideDesign applies p's rule (Decide) to a design's data after checking
// that p governs it (Governs): diffs returns the paired differences of one
// endpoint, one per seed in seeds' order.
func (p Prereg) DecideDesign(name string, seeds []uint64, arms []string, diffs func(endpoint string) ([]float64, error)) ([]Decision, error) {
	if err := p.Governs(name, seeds, arms); err != nil {
		return nil, err
	}
	ds := map[string][]float64{}
	for _, h := range p.Hypotheses {
		d, err := diffs(h.Endpoint)
		if err != nil {
			return nil, err
		}
		ds[h.Endpoint] = d
	}
	return p.Decide(ds)
}
