//go:build !amd64 || purego

package mamba

func sigmoidAVX2(dst, src *float32, n int)             { panic("mamba: sigmoidAVX2 without assembly") }
func siluAVX2(dst, src *float32, n int)                { panic("mamba: siluAVX2 without assembly") }
func siluGradAVX2(gx, x, gy *float32, n int, acc bool) { panic("mamba: siluGradAVX2 without assembly") }
func softplusAVX2(dst, src *float32, n int)            { panic("mamba: softplusAVX2 without assembly") }
func sigmoidMulAVX2(dst, x, gy *float32, n int)        { panic("mamba: sigmoidMulAVX2 without assembly") }

func sigmoidVec(dst, src *float32, n int)             { panic("mamba: sigmoidVec without assembly") }
func siluVec(dst, src *float32, n int)                { panic("mamba: siluVec without assembly") }
func siluGradVec(gx, x, gy *float32, n int, acc bool) { panic("mamba: siluGradVec without assembly") }
func softplusVec(dst, src *float32, n int)            { panic("mamba: softplusVec without assembly") }
func sigmoidMulVec(dst, x, gy *float32, n int)        { panic("mamba: sigmoidMulVec without assembly") }

func haveActivationKernels() bool { return false }
