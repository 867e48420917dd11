//go:build !amd64 || purego

package kernels

// best is Purego: this build has no assembly kernels.
func best() ISA { return Purego }
