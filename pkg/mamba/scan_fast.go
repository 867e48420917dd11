package mamba

import (
	"fmt"
	"unsafe"
)

// Scan is the fast selective scan (S6, docs/paper.md §1.1): the same results as
// ScanRef, computed in T's own precision, without ever materializing a
// (B, D, L, N) tensor, with up to workers goroutines.
//
// Shapes are those of ScanArgs: u, delta, z (B, D, L); A (D, N); B, C
// (B, N, L) when VarB/VarC, else (D, N); D, delta_bias (D). The result holds
// Y (B, D, L) and LastState (B, D, N).
//
// float64 uses math.Exp and agrees with ScanRef to 1e-12 of max|y| (tested).
// float32 uses a polynomial exp (see fastexp.go) in assembly kernels on amd64
// (AVX-512F when the CPU has it, else AVX2+FMA; see ScanKernel) or in a
// pure-Go loop elsewhere, and agrees with ScanRef to 1e-5 of max|y| (tested;
// typically 1e-6).
//
// workers <= 1 runs on the calling goroutine; larger values split the
// (b, d) rows between that many goroutines when the work is large enough to
// pay for them. A negative workers is an error.
func Scan[T Float](a *ScanArgs[T], workers int) (*ScanResult[T], error) {
	res := new(ScanResult[T])
	if err := ScanInto(res, a, workers); err != nil {
		return nil, err
	}
	return res, nil
}

// ScanInto is Scan writing into dst. dst.Y and dst.LastState are reused when
// their capacity suffices (else reallocated), and dst keeps its workspace
// between calls: scanning the same shape again with workers <= 1 allocates
// nothing. dst must not be used by two scans at once, and its slices must not
// share memory with the inputs (an error says which).
func ScanInto[T Float](dst *ScanResult[T], a *ScanArgs[T], workers int) error {
	return scanIntoWith(dst, a, workers, kernelAuto)
}

// kernelKind selects the implementation of the per-row recurrence. It is a
// parameter (never a global) so that tests can force the portable path.
type kernelKind int

const (
	kernelAuto    kernelKind = iota // fastest available on this CPU
	kernelGeneric                   // pure Go, any GOARCH
	kernelAVX2                      // amd64 AVX2+FMA (tests only; the caller checks the CPU)
	kernelAVX512                    // amd64 AVX-512F (tests only; the caller checks the CPU)
)

func scanIntoWith[T Float](dst *ScanResult[T], a *ScanArgs[T], workers int, kind kernelKind) error {
	if dst == nil {
		return fmt.Errorf("mamba: scan: nil result")
	}
	if workers < 0 {
		return fmt.Errorf("mamba: scan: workers = %d, want >= 0", workers)
	}
	if err := a.validateLayout(ChannelMajor, "Scan"); err != nil {
		return err
	}
	dst.Y = resize(dst.Y, a.Batch*a.Dim*a.Len)
	dst.LastState = resize(dst.LastState, a.Batch*a.Dim*a.State)
	if err := checkNoAlias(dst, a); err != nil {
		return err
	}
	if unsafe.Sizeof(T(0)) == 4 {
		// T is float32 or a type defined on it: same memory layout.
		a32 := (*ScanArgs[float32])(unsafe.Pointer(a))
		r32 := (*ScanResult[float32])(unsafe.Pointer(dst))
		runScan(r32, a32, workers, rowKernel32(kind))
		return nil
	}
	a64 := (*ScanArgs[float64])(unsafe.Pointer(a))
	r64 := (*ScanResult[float64])(unsafe.Pointer(dst))
	runScan(r64, a64, workers, rowKernel[float64]{row: rowGeneric64, padTo: 1})
	return nil
}

// checkNoAlias rejects a result whose Y or LastState shares memory with an
// input: the kernels read u, z and delta after writing y.
func checkNoAlias[T Float](dst *ScanResult[T], a *ScanArgs[T]) error {
	inputs := [...][]T{a.U, a.Delta, a.A, a.B, a.C, a.D, a.Z, a.DeltaBias}
	for i, in := range inputs {
		out := ""
		switch {
		case overlaps(dst.Y, in):
			out = "Y"
		case overlaps(dst.LastState, in):
			out = "LastState"
		default:
			continue
		}
		names := [...]string{"u", "delta", "A", "B", "C", "D", "z", "delta_bias"}
		return fmt.Errorf("mamba: scan: result %s shares memory with input %s", out, names[i])
	}
	return nil
}

// overlaps reports whether two slices share an element.
func overlaps[T any](x, y []T) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	size := unsafe.Sizeof(x[0])
	x0, y0 := uintptr(unsafe.Pointer(&x[0])), uintptr(unsafe.Pointer(&y[0]))
	return x0 < y0+uintptr(len(y))*size && y0 < x0+uintptr(len(x))*size
}

// resize returns s with length n, reusing its storage when it is large
// enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// ScanKernel names the implementation Scan uses for T on this machine, for
// benchmark reports: "avx512" or "avx2+fma" (assembly) or "go" (portable,
// polynomial exp) for float32; "go-math.Exp" for float64.
func ScanKernel[T Float]() string {
	if unsafe.Sizeof(T(0)) == 8 {
		return "go-math.Exp"
	}
	return kernelName32(kernelAuto)
}
