package mamba

import "fmt"

// What ScanArgs means in the TokenMajor layout (scan_tokens.go), forward and
// backward. Rows are tokens, M = Batch·Len rows, batch-major:
//
//	U, Delta   (Batch, Len, Dim)    input u and step Δ, already positive (softplus done by the caller)
//	A          (Dim, State)         A = −exp(A_log), negative
//	B, C       (Batch, Len, State)  rows of stride LdBC (B_l = S_B x_l, C_l = S_C x_l: columns of x_proj's output)
//	D          (Dim)                the skip
//	y          (Batch, Len, Dim)    forward output, overwritten: y_l = C_lᵀ h_l + D ⊙ u_l (no gate)
//
// The backward reads dy and writes the ScanGrad, in the same layout:
//
//	dy          (Batch, Len, Dim)    ∂loss/∂y
//	DU, DDelta  (Batch, Len, Dim)    overwritten
//	DB, DC      (Batch, Len, State)  rows of stride LdBC, overwritten
//	DA          (Dim, State)         accumulated (ScanTokensBackward; ReduceTokenGrads)
//	DD          (Dim)                accumulated
//
// The arrays may be longer than their shapes (views into a caller's larger
// buffers, as B and C are columns of x_proj's output): lengths are checked
// as "at least".

// ldBC is the row stride of B and C in the token-major layout.
func (a *ScanArgs[T]) ldBC() int {
	if a.LdBC == 0 {
		return a.State
	}
	return a.LdBC
}

// tokenBCLen is the least length of a (Batch, Len, State) array of row
// stride LdBC.
func (a *ScanArgs[T]) tokenBCLen() int {
	return (a.Batch*a.Len-1)*a.ldBC() + a.State
}

// validateTokenMajor checks the TokenMajor options and shapes (sizes are
// already known positive); it names the first array that does not fit.
func (a *ScanArgs[T]) validateTokenMajor() error {
	switch {
	case a.LdBC != 0 && a.LdBC < a.State:
		return fmt.Errorf("mamba: token scan: LdBC = %d < State = %d", a.LdBC, a.State)
	case !a.VarB || !a.VarC:
		return fmt.Errorf("mamba: token scan: B and C must vary per token (VarB, VarC)")
	case a.Z != nil || a.DeltaBias != nil || a.DeltaSoftplus:
		return fmt.Errorf("mamba: token scan: no gate Z, DeltaBias or DeltaSoftplus (Δ comes positive, the caller gates)")
	}
	m := a.Batch * a.Len
	bc := a.tokenBCLen()
	for _, c := range []struct {
		name  string
		v     []T
		want  int
		shape string
	}{{"U", a.U, m * a.Dim, "(Batch, Len, Dim)"}, {"Delta", a.Delta, m * a.Dim, "(Batch, Len, Dim)"},
		{"A", a.A, a.Dim * a.State, "(Dim, State)"}, {"B", a.B, bc, "(Batch, Len, State) of stride LdBC"},
		{"C", a.C, bc, "(Batch, Len, State) of stride LdBC"}, {"D", a.D, a.Dim, "(Dim)"}} {
		if err := checkAtLeast(c.name, c.v, c.want, c.shape); err != nil {
			return err
		}
	}
	return a.checkNegativeA()
}

// ValidateTokens checks a (Validate, TokenMajor) and the output or
// gradient arrays of a token-major scan: y (Batch, Len, Dim) for the forward
// (ScanTokens), or dy and g for the backward (ScanTokensBackward) when g is
// non-nil. It names the first array that does not fit.
func (a *ScanArgs[T]) ValidateTokens(y []T, g *ScanGrad[T]) error {
	if err := a.validateLayout(TokenMajor, "token scan"); err != nil {
		return err
	}
	mD, bc := a.Batch*a.Len*a.Dim, a.tokenBCLen()
	if g == nil {
		return checkAtLeast("y", y, mD, "(Batch, Len, Dim)")
	}
	for _, c := range []struct {
		name  string
		v     []T
		want  int
		shape string
	}{{"dy", y, mD, "(Batch, Len, Dim)"}, {"DU", g.DU, mD, "(Batch, Len, Dim)"}, {"DDelta", g.DDelta, mD, "(Batch, Len, Dim)"},
		{"DB", g.DB, bc, "(Batch, Len, State) of stride LdBC"}, {"DC", g.DC, bc, "(Batch, Len, State) of stride LdBC"},
		{"DA", g.DA, a.Dim * a.State, "(Dim, State)"}, {"DD", g.DD, a.Dim, "(Dim)"}} {
		if err := checkAtLeast(c.name, c.v, c.want, c.shape); err != nil {
			return err
		}
	}
	return nil
}

// checkAtLeast names v when it has fewer than want elements.
func checkAtLeast[T Float](name string, v []T, want int, shape string) error {
	if len(v) < want {
		return fmt.Errorf("mamba: token scan: %s has %d elements, want at least %d %s", name, len(v), want, shape)
	}
	return nil
}
