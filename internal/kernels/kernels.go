// Package kernels decides, once per process, which instruction set the
// float32 training kernels of pkg/model and pkg/mamba use: the portable Go
// loops, the AVX2+FMA assembly, or the AVX-512 assembly. The AVX-512 kernels
// give the same bits as the AVX2 ones (same per-element operations, same
// reduction trees), so the choice changes speed, not results; the portable
// loops may differ from both in the last bits.
//
// The choice is the widest set the CPU (and the OS) supports, unless the
// environment variable TOKENDYN_KERNELS asks for a narrower one:
//
//	TOKENDYN_KERNELS=purego   portable Go loops (as -tags purego, without rebuilding)
//	TOKENDYN_KERNELS=avx2     AVX2+FMA even on an AVX-512 CPU
//	TOKENDYN_KERNELS=avx512   AVX-512 where supported (the default)
//
// A request the CPU cannot honour falls back to the widest supported set
// below it; an unknown value is ignored (auto). Note says what happened.
// The variable is read once, when the package initialises; the selection
// never changes while the process runs.
package kernels

import (
	"fmt"
	"os"
	"strings"
)

// ISA is a kernel path, ordered by width.
type ISA int

const (
	Purego ISA = iota // portable Go loops
	AVX2              // AVX2 + FMA, 8 float32 lanes
	AVX512            // AVX-512 F/BW/DQ/VL, 16 float32 lanes
)

// String is the name TOKENDYN_KERNELS uses for the path.
func (i ISA) String() string {
	switch i {
	case Purego:
		return "purego"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("ISA(%d)", int(i))
}

// EnvVar is the environment variable that forces a path.
const EnvVar = "TOKENDYN_KERNELS"

// selected is computed once at init from the environment and the CPU.
var selected, note = choose(os.Getenv(EnvVar), best())

// Path is the kernel path of this process.
func Path() ISA { return selected }

// Best is the widest path the CPU and this build support, whatever the
// environment asks (tests compare the paths below it against each other).
func Best() ISA { return best() }

// Note describes how Path was chosen, e.g. "avx512 (auto)" or
// "avx2 (TOKENDYN_KERNELS=avx2)"; benchmarks print it.
func Note() string { return note }

// choose applies the request env to the widest supported path max.
func choose(env string, max ISA) (ISA, string) {
	v := strings.ToLower(strings.TrimSpace(env))
	if v == "" || v == "auto" {
		return max, max.String() + " (auto)"
	}
	for want := Purego; want <= AVX512; want++ {
		if v == want.String() {
			if want > max {
				return max, fmt.Sprintf("%s (%s=%s not supported here)", max, EnvVar, env)
			}
			return want, fmt.Sprintf("%s (%s=%s)", want, EnvVar, env)
		}
	}
	return max, fmt.Sprintf("%s (auto; %s=%q ignored: want purego, avx2 or avx512)", max, EnvVar, env)
}
