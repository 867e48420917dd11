package theory

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/ode"
)

// Field is the right-hand side of the token dynamics for a fixed number of
// tokens L: one S6 forward pass over the current tokens (docs/paper.md §2.1,
// implementation note), computed by mamba.ScanInto with
//
//	u       (1, D, L)  the tokens, u_{d,l} = x_{l,d}
//	delta   (1, D, L)  S_Δ x_l, with delta_bias = b and softplus
//	B, C    (1, N, L)  S_B x_l and S_C x_l (VarB, VarC)
//	A       (D, N)
//
// and no D skip and no z gate, so that dx_{l,d}/dt = y_{d,l}. A Field owns
// its buffers: Eval allocates nothing, and a Field must not be used by two
// goroutines at once (make one per goroutine).
type Field struct {
	sys  *System
	L    int
	args mamba.ScanArgs[float64]
	res  mamba.ScanResult[float64]
}

// NewField returns the right-hand side for L tokens of s.
func (s *System) NewField(L int) (*Field, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if L < 1 {
		return nil, fmt.Errorf("theory: field needs L >= 1 tokens, got %d", L)
	}
	D, N := s.D, s.N
	f := &Field{sys: s, L: L}
	f.args = mamba.ScanArgs[float64]{
		Batch: 1, Dim: D, Len: L, State: N,
		U:     make([]float64, D*L),
		Delta: make([]float64, D*L),
		A:     s.A,
		B:     make([]float64, N*L),
		C:     make([]float64, N*L),
		VarB:  true, VarC: true,
		DeltaBias:     s.Bias,
		DeltaSoftplus: true,
	}
	if err := mamba.ScanInto(&f.res, &f.args, 1); err != nil {
		return nil, fmt.Errorf("theory: field: %w", err)
	}
	return f, nil
}

// Eval writes dx/dt into dxdt for the tokens x; both have shape (L, D),
// row-major (x[l*D+d] = x_{l,d}). Token values that make the scan overflow
// give non-finite derivatives, which the ODE solver treats as a blow-up.
func (f *Field) Eval(x, dxdt []float64) {
	s, L := f.sys, f.L
	D, N := s.D, s.N
	a := &f.args
	for l := 0; l < L; l++ {
		xl := x[l*D : (l+1)*D]
		for d := 0; d < D; d++ {
			a.U[d*L+l] = xl[d]
			row := s.SDelta[d*D : (d+1)*D]
			var v float64
			for k, w := range row {
				v += w * xl[k]
			}
			a.Delta[d*L+l] = v
		}
		for n := 0; n < N; n++ {
			rb, rc := s.SB[n*D:(n+1)*D], s.SC[n*D:(n+1)*D]
			var vb, vc float64
			for k := range xl {
				vb += rb[k] * xl[k]
				vc += rc[k] * xl[k]
			}
			a.B[n*L+l], a.C[n*L+l] = vb, vc
		}
	}
	if err := mamba.ScanInto(&f.res, a, 1); err != nil {
		// Unreachable: the shapes were validated by NewField. Report it as a
		// non-finite derivative rather than panicking inside the solver.
		for i := range dxdt {
			dxdt[i] = math.NaN()
		}
		return
	}
	for l := 0; l < L; l++ {
		for d := 0; d < D; d++ {
			dxdt[l*D+d] = f.res.Y[d*L+l]
		}
	}
}

// Func adapts Eval to the ode package (the dynamics is autonomous).
func (f *Field) Func() ode.Func {
	return func(_ float64, x, dxdt []float64) { f.Eval(x, dxdt) }
}
