//go:build !amd64 || purego

package mamba

// expVec32 sets dst[i] = e^src[i] with fastExp32 (portable build).
func expVec32(dst, src []float32) {
	for i, v := range src {
		dst[i] = fastExp32(v)
	}
}
