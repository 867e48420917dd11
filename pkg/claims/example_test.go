package claims_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/claims"
	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// The ledger's word for each outcome of an experiment's pre-registered
// rule.
func ExampleFromExperiment() {
	for _, v := range []string{experiment.Supported, experiment.EquivalentVerdict(experiment.Quantity{Value: 1, Unit: "pp"}),
		experiment.Contradicted, experiment.Inconclusive} {
		fmt.Printf("%-40s → %s\n", v, claims.FromExperiment(v))
	}
	// Output:
	// supported                                → holds
	// not supported (equivalent within ±1 pp)  → not supported
	// contradicted                             → contradicted
	// inconclusive                             → inconclusive
}
