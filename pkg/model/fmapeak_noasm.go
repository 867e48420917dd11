//go:build !amd64 || purego

package model

// fmaLoop has no vector kernel in this build: the peak is the portable Go
// loop's (fmaLoopGo).
func fmaLoop(n int) (flop float64, kernel string, ok bool) { return 0, "", false }
