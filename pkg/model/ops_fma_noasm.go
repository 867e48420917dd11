//go:build !amd64 || purego

package model

func fmaVecAVX2(y, a, b *float32, n int) { panic("mamba: fmaVecAVX2 without assembly") }

func fmaVec(y, a, b *float32, n int) { panic("model: fmaVec without assembly") }
