//go:build unix

// Package cputime reads the CPU time this process has used, to report
// training throughput per CPU second independently of other load.
package cputime

import "syscall"

// Process is the user+system CPU time of this process so far, or
// -1 when it cannot be read. It measures work done independently of how
// many other processes share the cores.
func Process() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
