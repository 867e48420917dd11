//go:build !amd64 || purego

package mamba

// asmExpImpls: no assembly kernels on this platform.
func asmExpImpls() []struct {
	name string
	eval func(dst, src []float32)
} {
	return nil
}

// asmKernels: no assembly kernels on this platform.
func asmKernels() []struct {
	name string
	kind kernelKind
} {
	return nil
}
