//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// best reads the CPU features (x/sys/cpu also checks that the OS saves the
// vector registers).
func best() ISA {
	x := cpu.X86
	switch {
	case x.HasAVX2 && x.HasFMA && x.HasAVX512F && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL:
		return AVX512
	case x.HasAVX2 && x.HasFMA:
		return AVX2
	}
	return Purego
}
