package mamba

import (
	"fmt"
	"math"
)

// Float is the element type of every tensor in this package: float32 for
// speed (the benchmarks, the experiments) or float64 for exactness (the
// theory, the gradient checks).
type Float interface{ ~float32 | ~float64 }

// Layout is the memory order of the (batch, channel, position) arrays of
// ScanArgs: one argument struct serves both of the scan's layouts.
type Layout int

const (
	// ChannelMajor is selective_scan_ref's layout, (Bt, D, L): every
	// channel's sequence contiguous. ScanRef, Scan, ScanBackward and the
	// hidden attention take it. The zero value.
	ChannelMajor Layout = iota
	// TokenMajor is the models' training layout, (Bt, L, D): rows are
	// tokens, batch-major, B and C are rows of stride LdBC (columns of
	// x_proj's output). ScanTokens and ScanTokensBackward take it
	// (scan_tokens.go, whose Validate rules are in scan_tokens_args.go).
	TokenMajor
)

// String names the layout by its shape.
func (l Layout) String() string {
	switch l {
	case ChannelMajor:
		return "channel-major (B,D,L)"
	case TokenMajor:
		return "token-major (B,L,D)"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// ScanArgs holds the inputs of the selective scan (S6), forward and backward,
// in either Layout. Tensors are flat, row-major slices. With Bt = Batch,
// D = Dim, L = Len and N = State, in the ChannelMajor layout of
// selective_scan_ref from state-spaces/mamba (one group, real weights):
//
//	U, Delta   (Bt, D, L)  input u and step Δ before DeltaBias/softplus
//	A          (D, N)      diagonal state matrices A_d, entries < 0
//	B, C       (Bt, N, L)  input-dependent B_l = S_B x_l, C_l = S_C x_l (VarB, VarC)
//	           (D, N)      or shared per channel (VarB/VarC false)
//	D          (D)         optional skip, nil for none
//	Z          (Bt, D, L)  optional gate, output multiplied by SiLU(z); nil for none
//	DeltaBias  (D)         optional, added to Delta before softplus; nil for none
//
// and in the TokenMajor layout the models train with (no gate, Δ already
// through the softplus, B and C varying, the skip present):
//
//	U, Delta   (Bt, L, D)  input u and step Δ > 0
//	A          (D, N)      as above
//	B, C       (Bt, L, N)  rows of stride LdBC (0 means State); VarB and VarC true
//	D          (D)         the skip, required
//
// The discretization is Mamba's: Ā = exp(Δ A) (zero-order hold) and
// B̄ = Δ B (Euler). The gradients of the backward (ScanGrad) have the
// layout of their inputs.
type ScanArgs[T Float] struct {
	Batch, Dim, Len, State int
	Layout                 Layout
	LdBC                   int // TokenMajor only: row stride of B and C

	U, Delta      []T
	A             []T
	B, C          []T
	VarB, VarC    bool
	D             []T
	Z             []T
	DeltaBias     []T
	DeltaSoftplus bool
}

// ScanResult is the output of the selective scan.
//
//	Y          (Bt, D, L)  y_l = C_lᵀ h_l (+ D u_l) (· SiLU(z_l))
//	LastState  (Bt, D, N)  h_L for every batch element and channel
//
// A ScanResult passed to ScanInto keeps an unexported workspace (the
// transposed B and C, per-worker buffers) so that repeated scans of the same
// shape allocate nothing.
type ScanResult[T Float] struct {
	Y         []T
	LastState []T

	ws *scanWorkspace[T] // workspace of ScanInto, see scan_plan.go
}

// Validate checks every shape and that A is strictly negative and finite.
// It returns an error naming the first problem found.
func (a *ScanArgs[T]) Validate() error {
	if a == nil {
		return fmt.Errorf("mamba: scan: nil arguments")
	}
	if a.Batch < 1 || a.Dim < 1 || a.Len < 1 || a.State < 1 {
		return fmt.Errorf("mamba: scan: sizes must be positive, got batch=%d dim=%d len=%d state=%d",
			a.Batch, a.Dim, a.Len, a.State)
	}
	switch a.Layout {
	case ChannelMajor:
		return a.validateChannelMajor()
	case TokenMajor:
		return a.validateTokenMajor()
	}
	return fmt.Errorf("mamba: scan: unknown layout %v", a.Layout)
}

// validateLayout is Validate for an entry point that takes only layout l.
func (a *ScanArgs[T]) validateLayout(l Layout, entry string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Layout != l {
		return fmt.Errorf("mamba: %s takes the %v layout, got %v", entry, l, a.Layout)
	}
	return nil
}

// checkNegativeA checks that every entry of A (D, N) is finite and negative.
func (a *ScanArgs[T]) checkNegativeA() error {
	for i, v := range a.A {
		f := float64(v)
		if !(f < 0) || math.IsInf(f, 0) {
			return fmt.Errorf("mamba: scan: A[%d,%d] = %v, want a finite negative number", i/a.State, i%a.State, f)
		}
	}
	return nil
}

// validateChannelMajor checks the shapes of the (B,D,L) layout.
func (a *ScanArgs[T]) validateChannelMajor() error {
	if a.LdBC != 0 {
		return fmt.Errorf("mamba: scan: LdBC = %d is for the token-major layout, want 0", a.LdBC)
	}
	bdl := a.Batch * a.Dim * a.Len
	if err := checkLen("u", len(a.U), bdl, "(B,D,L)"); err != nil {
		return err
	}
	if err := checkLen("delta", len(a.Delta), bdl, "(B,D,L)"); err != nil {
		return err
	}
	if err := checkLen("A", len(a.A), a.Dim*a.State, "(D,N)"); err != nil {
		return err
	}
	if err := a.checkNegativeA(); err != nil {
		return err
	}
	for _, m := range []struct {
		name string
		v    []T
		vary bool
	}{{"B", a.B, a.VarB}, {"C", a.C, a.VarC}} {
		if m.vary {
			if err := checkLen(m.name, len(m.v), a.Batch*a.State*a.Len, "(B,N,L)"); err != nil {
				return err
			}
		} else if err := checkLen(m.name, len(m.v), a.Dim*a.State, "(D,N)"); err != nil {
			return err
		}
	}
	if a.D != nil {
		if err := checkLen("D", len(a.D), a.Dim, "(D)"); err != nil {
			return err
		}
	}
	if a.Z != nil {
		if err := checkLen("z", len(a.Z), bdl, "(B,D,L)"); err != nil {
			return err
		}
	}
	if a.DeltaBias != nil {
		if err := checkLen("delta_bias", len(a.DeltaBias), a.Dim, "(D)"); err != nil {
			return err
		}
	}
	return nil
}

func checkLen(name string, got, want int, shape string) error {
	if got != want {
		return fmt.Errorf("mamba: scan: %s has %d elements, want %d for shape %s", name, got, want, shape)
	}
	return nil
}

// rawStep returns delta + delta_bias at flat index i = (b·D + d)·L + l, the
// argument of the softplus, in float64.
func (a *ScanArgs[T]) rawStep(i, d int) float64 {
	v := float64(a.Delta[i])
	if a.DeltaBias != nil {
		v += float64(a.DeltaBias[d])
	}
	return v
}

// step returns Δ at flat index i: rawStep, through softplus when
// DeltaSoftplus. The reference paths (ScanRef, ScanBackward, the hidden
// attention) use it; the fast kernels compute the same in their own layout.
func (a *ScanArgs[T]) step(i, d int) float64 {
	if a.DeltaSoftplus {
		return Softplus(a.rawStep(i, d))
	}
	return a.rawStep(i, d)
}
