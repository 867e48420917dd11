package experiment

import (
	"fmt"
	"math"
)

// The three outcomes of Decide.
const (
	Supported    = "supported"
	NotSupported = "not supported"
	Inconclusive = "inconclusive"
)

// Rule is the verdict rule in words, for the artifacts that state it.
const Rule = "supported when the 95 % confidence interval of the paired mean difference excludes 0 on the side the paper " +
	"claims; not supported when it excludes 0 on the other side; inconclusive when it contains 0"

// Verdict is the outcome of one claim on one paired comparison.
type Verdict struct {
	Claim   string `json:"claim"`   // the paper's claim, in words
	Outcome string `json:"outcome"` // Supported, NotSupported or Inconclusive
	// Evidence: the mean difference with its interval, the seed counts and
	// the sign-test p-value, in words.
	Evidence string `json:"evidence"`
}

// Decide applies Rule to p for a claim that the true mean difference has
// the sign of claimed (+1: a − b > 0, −1: a − b < 0). With fewer than two
// seeds there is no interval and the outcome is Inconclusive.
func Decide(claim string, p Paired, claimed int) Verdict {
	v := Verdict{Claim: claim, Outcome: Inconclusive}
	s := float64(claimed)
	switch {
	case math.IsNaN(p.Lo) || math.IsNaN(p.Hi):
	case s*p.Lo > 0 && s*p.Hi > 0:
		v.Outcome = Supported
	case s*p.Lo < 0 && s*p.Hi < 0:
		v.Outcome = NotSupported
	}
	v.Evidence = fmt.Sprintf("mean paired difference %+.4g, 95 %% CI [%+.4g, %+.4g] over %d seeds (%d above 0, %d below; sign test p = %.3g)",
		p.Mean, p.Lo, p.Hi, p.N, p.Pos, p.Neg, p.SignP)
	return v
}
