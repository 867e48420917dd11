package theory

import (
	"fmt"
	"math"
)

// Scenario is a row of the paper's Table 1 (docs/paper.md §3), or Degenerate.
type Scenario int

const (
	// Unclassified is the zero value; Sweep uses it for a simulation that
	// matches no scenario.
	Unclassified Scenario = iota
	// Convergent: μ < 0. Every token tends to 0 like t^-½ (Theorem A).
	Convergent
	// SlowDivergent: μ > 0 and S_Δ x_l(0) < 0 for every nonzero token. The
	// solution exists for all t and every nonzero |x_l| → ∞ like ln t
	// (Theorem B).
	SlowDivergent
	// FastDivergent: μ > 0 and S_Δ x_l(0) > 0 for some token. The solution
	// blows up at a finite T* ≤ 1/(3 μ |S_Δ| |x_l(0)|³) (Theorem C).
	FastDivergent
	// Degenerate: none of the three criteria applies: μ = 0, all tokens
	// zero, or S_Δ = 0 with μ > 0 (see Classify).
	Degenerate
)

func (s Scenario) String() string {
	switch s {
	case Unclassified:
		return "unclassified"
	case Convergent:
		return "convergent"
	case SlowDivergent:
		return "slow-divergent"
	case FastDivergent:
		return "fast-divergent"
	case Degenerate:
		return "degenerate"
	}
	return fmt.Sprintf("Scenario(%d)", int(s))
}

// Classification is the verdict of the Table 1 criteria on (μ, S_Δ, a, x(0)).
type Classification struct {
	Scenario Scenario
	// Reason states which criterion applied, in words.
	Reason string
	// Behaviour is what the dynamics does, also for Degenerate:
	// "all tokens converge to 0", "all tokens diverge in infinite time",
	// "finite-time blow-up", "tokens are constant".
	Behaviour string
	// Active lists the tokens with x_l(0) ≠ 0 (0-based); zero tokens stay
	// zero for all t and are ignored by the criteria.
	Active []int
	// Fast lists the tokens with S_Δ x_l(0) > 0 (0-based), the ones that
	// can start a blow-up when μ > 0.
	Fast []int
}

// Classify applies the criteria of Table 1 (docs/paper.md §3) to the 1-D
// dynamics s with initial tokens x0 (L). In order:
//
//   - all x_l(0) = 0: Degenerate. x ≡ 0 is an equilibrium (every term of
//     the right-hand side has a factor x_l).
//   - μ = 0: Degenerate. Every term has a factor μ, so all tokens are
//     constant.
//   - μ < 0: Convergent, whatever S_Δ (Theorem A; S_Δ = 0 included, then
//     Δ ≡ ln 2).
//   - μ > 0 and S_Δ = 0: Degenerate, labelled so because S_Δ x_l(0) = 0 for
//     every token, which is neither Table 1 divergence criterion. The
//     behaviour is nevertheless a finite-time blow-up: Δ ≡ ln 2, the first
//     token solves x' = μ ln2 x³ and blows up at 1/(2 μ ln2 x_1(0)²), with
//     exponent ½ instead of the ⅓ of fast divergence; every nonzero token
//     satisfies d|x_l|/dt ≥ μ ln2 |x_l|³, so T* ≤ min_l 1/(2 μ ln2 x_l(0)²)
//     (see Bounds).
//   - μ > 0, some S_Δ x_l(0) > 0: FastDivergent (Theorem C).
//   - μ > 0, S_Δ x_l(0) < 0 for every nonzero token: SlowDivergent
//     (Theorem B).
//
// Tokens with x_l(0) = 0 stay 0 and are ignored (for S_Δ ≠ 0 every other
// token has S_Δ x_l(0) ≠ 0, so the criteria are exhaustive). These criteria
// assume A = -a I; for unequal diagonal entries see DiagonalScalar.
func (s Scalar) Classify(x0 []float64) (Classification, error) {
	if err := s.Validate(); err != nil {
		return Classification{}, err
	}
	if len(x0) == 0 {
		return Classification{}, fmt.Errorf("theory: no initial tokens (x0 is empty)")
	}
	var c Classification
	for l, v := range x0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Classification{}, fmt.Errorf("theory: x0[%d] = %v is not finite", l, v)
		}
		if v != 0 {
			c.Active = append(c.Active, l)
		}
		if s.SDelta*v > 0 {
			c.Fast = append(c.Fast, l)
		}
	}
	switch {
	case len(c.Active) == 0:
		c.Scenario, c.Behaviour = Degenerate, "tokens are constant"
		c.Reason = "all tokens are zero: x ≡ 0 is an equilibrium"
	case s.Mu == 0:
		c.Scenario, c.Behaviour = Degenerate, "tokens are constant"
		c.Reason = "μ = 0: the right-hand side vanishes, every token is constant"
	case s.Mu < 0:
		c.Scenario, c.Behaviour = Convergent, "all tokens converge to 0"
		c.Reason = "μ < 0 (Theorem A): |x_l| decreases to 0 like t^-1/2"
	case s.SDelta == 0:
		c.Scenario, c.Behaviour = Degenerate, "finite-time blow-up"
		c.Reason = fmt.Sprintf("μ > 0 and S_Δ = 0: Δ ≡ ln 2 and x_1' = μ ln2 x_1³ blows up at 1/(2 μ ln2 x_1(0)²); " +
			"neither divergence criterion of Table 1 applies (S_Δ x_l(0) = 0)")
	case len(c.Fast) > 0:
		c.Scenario, c.Behaviour = FastDivergent, "finite-time blow-up"
		c.Reason = fmt.Sprintf("μ > 0 and S_Δ x_l(0) > 0 for token(s) %v (Theorem C)", oneBased(c.Fast))
	default:
		c.Scenario, c.Behaviour = SlowDivergent, "all tokens diverge in infinite time"
		c.Reason = "μ > 0 and S_Δ x_l(0) < 0 for every nonzero token (Theorem B): |x_l| grows like ln t"
	}
	return c, nil
}

func oneBased(idx []int) []int {
	out := make([]int, len(idx))
	for i, v := range idx {
		out[i] = v + 1
	}
	return out
}
