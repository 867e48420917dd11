package theory

import "fmt"

// SimulatePrefixes integrates every token up to its own existence time.
//
// The dynamics are causal: dx_l/dt depends on x_1, …, x_l only (P_lj = 0 for
// j > l), so the first l tokens of a sequence evolve as the sequence of
// length l does, and token l exists exactly as long as x_1, …, x_l do.
// A blow-up of a later token ends the full simulation (Simulate) but not the
// earlier tokens. Trajectory l (0-based) is the simulation of the prefix
// x_1 … x_{l+1} alone: its last token is token l, valid up to the prefix's
// End (its first blow-up or the horizon T).
//
//	x0       (L, D)
//	returns  L trajectories; trajectory l has l+1 tokens
func (s *System) SimulatePrefixes(x0 []float64, T float64, o *SimOptions) ([]*Trajectory, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	L, err := s.checkTokens("x0", x0)
	if err != nil {
		return nil, err
	}
	out := make([]*Trajectory, L)
	for l := 0; l < L; l++ {
		tr, err := s.Simulate(x0[:(l+1)*s.D], T, o)
		if err != nil {
			return nil, fmt.Errorf("theory: prefix of %d tokens: %w", l+1, err)
		}
		out[l] = tr
	}
	return out, nil
}
