//go:build !amd64 || purego

package mamba

// rowKernel32 picks the float32 row kernel: without assembly kernels it is
// always the portable one.
func rowKernel32(kind kernelKind) rowKernel[float32] {
	return rowKernel[float32]{row: rowGeneric32, padTo: 1}
}

// kernelName32 names the float32 row kernel that kind selects.
func kernelName32(kind kernelKind) string { return "go" }
