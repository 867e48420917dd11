//go:build embedassets

package echartsjs

import (
	_ "embed"
	"fmt"
)

// bundle is dist/echarts.min.js, copied there by `make tokendyn`.
//
//go:embed dist/echarts.min.js
var bundle string

// Embedded returns the bundle built into the binary, verified; an error
// when the copy that was embedded is not the pinned one.
func Embedded() ([]byte, error) {
	b := []byte(bundle)
	if err := Verify(b); err != nil {
		return nil, fmt.Errorf("echarts bundle embedded in this binary: %w", err)
	}
	return b, nil
}
