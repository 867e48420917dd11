//go:build !purego

package figures

// purego is false when the assembly kernels are built.
const purego = false
