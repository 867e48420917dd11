package mamba

import "fmt"

// TokenScan holds the arrays of one token-major selective scan, forward
// and backward (ScanTokens, ScanTokensSeqs, ScanTokensBackward,
// ScanTokensBackwardSeqs), in the layout of TokenDims: rows are tokens,
// M = Batch·Len rows, batch-major.
//
//	U, Delta   (Batch, Len, Dim)    input u and step Δ, already positive (softplus done by the caller)
//	A          (Dim, State)         A = −exp(A_log), negative
//	B, C       (Batch, Len, State)  rows of stride LdBC (B_l = S_B x_l, C_l = S_C x_l: columns of x_proj's output)
//	Dskip      (Dim)                the skip D
//	Y          (Batch, Len, Dim)    forward output, overwritten: y_l = C_lᵀ h_l + Dskip ⊙ u_l (no gate)
//
// The backward reads GY and writes the rest:
//
//	GY         (Batch, Len, Dim)    ∂loss/∂y
//	GU, GDelta (Batch, Len, Dim)    overwritten
//	GB, GC     (Batch, Len, State)  rows of stride LdBC, overwritten
//	GA         (Dim, State)         accumulated
//	GD         (Dim)                accumulated
//
// The (Batch, Dim, Len) layout of selective_scan_ref, with its optional gate
// and Δ bias, is ScanArgs.
type TokenScan[T Float] struct {
	U, Delta, A, B, C, Dskip, Y []T

	GY, GU, GDelta, GB, GC, GA, GD []T
}

// Validate checks the lengths of the forward arrays (and, when backward,
// of the backward's) against dims; it names the first array that does not
// fit.
func (s *TokenScan[T]) Validate(dims TokenDims, backward bool) error {
	m := dims.Batch * dims.Len
	bc := 0
	if m > 0 {
		bc = (m-1)*dims.LdBC + dims.State
	}
	check := func(name string, v []T, want int, shape string) error {
		if len(v) < want {
			return fmt.Errorf("mamba: token scan: %s has %d elements, want at least %d %s", name, len(v), want, shape)
		}
		return nil
	}
	if dims.Batch < 1 || dims.Len < 1 || dims.Dim < 1 || dims.State < 1 || dims.LdBC < dims.State {
		return fmt.Errorf("mamba: token scan: dims %+v: sizes must be positive and LdBC ≥ State", dims)
	}
	type arr struct {
		name  string
		v     []T
		want  int
		shape string
	}
	arrs := []arr{{"U", s.U, m * dims.Dim, "(Batch, Len, Dim)"}, {"Delta", s.Delta, m * dims.Dim, "(Batch, Len, Dim)"},
		{"A", s.A, dims.Dim * dims.State, "(Dim, State)"}, {"B", s.B, bc, "(Batch, Len, State) of stride LdBC"},
		{"C", s.C, bc, "(Batch, Len, State) of stride LdBC"}, {"Dskip", s.Dskip, dims.Dim, "(Dim)"}}
	if backward {
		arrs = append(arrs, arr{"GY", s.GY, m * dims.Dim, "(Batch, Len, Dim)"}, arr{"GU", s.GU, m * dims.Dim, "(Batch, Len, Dim)"},
			arr{"GDelta", s.GDelta, m * dims.Dim, "(Batch, Len, Dim)"}, arr{"GB", s.GB, bc, "(Batch, Len, State) of stride LdBC"},
			arr{"GC", s.GC, bc, "(Batch, Len, State) of stride LdBC"}, arr{"GA", s.GA, dims.Dim * dims.State, "(Dim, State)"},
			arr{"GD", s.GD, dims.Dim, "(Dim)"})
	} else {
		arrs = append(arrs, arr{"Y", s.Y, m * dims.Dim, "(Batch, Len, Dim)"})
	}
	for _, a := range arrs {
		if err := check(a.name, a.v, a.want, a.shape); err != nil {
			return err
		}
	}
	return nil
}
