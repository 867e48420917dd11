package reorder

import (
	"fmt"
	"os"
	"path/filepath"
)

// Committed is where the committed (reduced) result of Default lives,
// relative to the repository root: from it the README's summary and the
// claims ledger are computed.
const Committed = "docs/results/reorder.json"

// ReadCommitted reads the reduced result at rel (relative to root, e.g.
// Committed) with the pre-registration at prereg (relative to root; ""
// none), which must decide it (Decided). Whether the current code still
// computes its numbers is the caller's check (its key, or a replay).
func ReadCommitted(root, rel, prereg string) (*Result, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("reorder: committed result: %w", err)
	}
	r, err := DecodeReduced(b)
	if err != nil {
		return nil, fmt.Errorf("reorder: committed result %s: %w", rel, err)
	}
	if err := r.Decided(root, prereg); err != nil {
		return nil, fmt.Errorf("reorder: committed result %s: %w", rel, err)
	}
	return r, nil
}
