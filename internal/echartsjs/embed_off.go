//go:build !embedassets

package echartsjs

// Embedded returns nil: this binary was built without -tags embedassets and
// holds no bundle.
func Embedded() ([]byte, error) { return nil, nil }
