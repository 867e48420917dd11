//go:build !amd64 || purego

package model

func mulVec(dst, a, b *float32, n int) { panic("model: mulVec without assembly") }
