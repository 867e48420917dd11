package experiment

import (
	"fmt"
	"strconv"
)

// AsVerdict writes the decision as a Verdict: the claim "ID (family):
// statement [endpoint]", the pre-registered outcome, and the evidence in
// words (mean with its (1 − α) interval and unit, pairs, Holm-adjusted
// p-values of the t-test and of TOST, power reached for the stated effect).
func (d Decision) AsVerdict(effect Quantity) Verdict {
	dec := evidenceDecimals(d.Hi - d.Lo)
	unit := ""
	if d.Margin.Unit != "" {
		unit = " " + d.Margin.Unit
	}
	m := strconv.FormatFloat(d.Margin.Value, 'g', -1, 64)
	return Verdict{
		Claim:   fmt.Sprintf("%s (%s): %s [%s]", d.ID, d.Family, d.Statement, d.Endpoint),
		Outcome: d.Verdict,
		Evidence: fmt.Sprintf("mean %s%s, %g %% CI [%s, %s], %d pairs; Holm-adjusted p: %s (t, %d in family), %s (TOST ±%s); power %.2f for ±%s",
			signedFixed(d.Mean, dec), unit, 100*(1-d.Alpha), signedFixed(d.Lo, dec), signedFixed(d.Hi, dec), d.N,
			PValue(d.PAdj), d.FamilySize, PValue(d.TOSTPAdj), m, d.Power, strconv.FormatFloat(effect.Value, 'g', -1, 64)),
	}
}

// PValue writes a p-value with two significant digits, "< 0.0001" below.
func PValue(p float64) string {
	if p < 1e-4 {
		return "< 0.0001"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}
