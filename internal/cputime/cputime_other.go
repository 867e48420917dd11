//go:build !unix

package cputime

// Process (CPU seconds) cannot be read on this platform.
func Process() float64 { return -1 }
