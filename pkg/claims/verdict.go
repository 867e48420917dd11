package claims

import (
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// The five verdicts of the ledger.
const (
	Holds        = "holds"
	NotSupported = "not supported"
	Contradicted = "contradicted"
	Inconclusive = "inconclusive"
	NotTestable  = "not testable here"
)

// Verdicts lists the verdict words in the order summaries count them.
func Verdicts() []string {
	return []string{Holds, NotSupported, Contradicted, Inconclusive, NotTestable}
}

// FromExperiment is the ledger's word for a verdict of an experiment's
// pre-registered rule (experiment.Prereg.Decide): supported → holds,
// "not supported (equivalent within ±m)" → not supported, contradicted and
// inconclusive unchanged; "" for anything else.
func FromExperiment(v string) string {
	switch {
	case v == experiment.Supported:
		return Holds
	case v == experiment.Contradicted:
		return Contradicted
	case v == experiment.Inconclusive:
		return Inconclusive
	case strings.HasPrefix(v, experiment.NotSupported):
		return NotSupported
	}
	return ""
}

// countRule decides a claim checked on every one of n instances: holds when
// all agree, contradicted otherwise (each disagreement is a counterexample).
func countRule(agree, n int) string {
	if n > 0 && agree == n {
		return Holds
	}
	if n == 0 {
		return Inconclusive
	}
	return Contradicted
}

// CountRule is countRule in words.
const CountRule = "holds when every simulated instance agrees; contradicted when any disagrees"

// empiricalRule decides a claim the paper supports by simulation, not
// proof: holds when at least 95 % of the decided instances agree,
// contradicted below 50 %, inconclusive between.
func empiricalRule(agree, n int) string {
	switch {
	case n == 0:
		return Inconclusive
	case 100*agree >= 95*n:
		return Holds
	case 2*agree < n:
		return Contradicted
	}
	return Inconclusive
}

// EmpiricalRule is empiricalRule in words.
const EmpiricalRule = "holds when at least 95 % of the decided random instances agree; contradicted below 50 %; inconclusive between"
