package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
	d := evidenceDecimals(p.Hi - p.Lo)
	v.Evidence = fmt.Sprintf("mean paired difference %s, 95 %% CI [%s, %s] over %d pairs (%d above 0, %d below; sign test p = %.3g)",
		signedFixed(p.Mean, d), signedFixed(p.Lo, d), signedFixed(p.Hi, d), p.N, p.Pos, p.Neg, p.SignP)
	return v
}

// evidenceDecimals is the number of decimals that gives an interval of this
// width three significant digits (3 when there is no interval).
func evidenceDecimals(width float64) int {
	if !(width > 0) || math.IsInf(width, 0) {
		return 3
	}
	return max(0, 2-int(math.Floor(math.Log10(width))))
}

// signedFixed writes v with d decimals, an explicit sign and a typographic
// minus (NaN as "n/a").
func signedFixed(v float64, d int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-") // no "−0.00"
	}
	if v > 0 {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}
