//go:build purego

package figures

// purego is true in the portable build (no assembly kernels).
const purego = true
