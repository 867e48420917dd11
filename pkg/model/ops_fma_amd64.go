//go:build !purego

package model

//go:noescape
func fmaVecAVX2(y, a, b *float32, n int)
