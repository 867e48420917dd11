package model

import (
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// LMState is the recurrent state of an LM after a prefix of tokens: per
// layer, the last d_conv−1 inputs of the causal convolution and the SSM
// state h. Stepping token by token costs O(1) per token (independent of the
// prefix length) and gives the logits of the full forward pass (LM.Logits)
// at every position: the causal convolution only sees its last d_conv
// inputs, and the selective scan is a recurrence in h (docs/paper.md §1.2):
//
//	h_l = exp(Δ_l A) ⊙ h_{l−1} + Δ_l B_l u_l,  y_l = C_l h_l + D ⊙ u_l
//
// An LMState belongs to one LM (NewState) and one sequence.
type LMState[T Float] struct {
	conv [][]T // per layer (d_conv−1, d_inner): the previous conv inputs, oldest first
	h    [][]T // per layer (d_inner, N)
	pos  int   // tokens fed so far

	// scratch, one token
	r, nrm, out, xz, xc, u, xdbl, dpre, delta, y, zs []T
	rstd                                             [1]T
	a                                                [][]T // per layer A = −exp(A_log) (d_inner, N)
	eff                                              [][]T // per layer effective x_proj (R+2N, d_inner)
}

// StepTrace receives, for one token, the quantities of the token's
// trajectory through depth:
//
//	Residual     (n_layer+1)  ‖r_i‖, the residual stream entering block i (r_0 the embedding, r_n the last)
//	Update       (n_layer)    ‖mixer_i(RMSNorm(r_i))‖, the update block i adds
//	SelfInteract (n_layer)    C_l · B_l = u_lᵀ μ u_l with μ = S_Cᵀ S_B and u_l the layer's S6 input:
//	                          the token's self-interaction in channel c is Δ_c (u_lᵀ μ u_l) u_c, beside the skip D_c u_c
//
// Slices are resized as needed.
type StepTrace struct {
	Residual, Update, SelfInteract []float64
}

// NewState returns the state before the first token.
func (m *LM[T]) NewState() *LMState[T] {
	d := m.dims
	di, n, k, r := d.dInner, d.nState, d.dConv, d.dtRank
	st := &LMState[T]{
		r: make([]T, d.dModel), nrm: make([]T, d.dModel), out: make([]T, d.dModel),
		xz: make([]T, 2*di), xc: make([]T, di), u: make([]T, di), xdbl: make([]T, r+2*n),
		dpre: make([]T, di), delta: make([]T, di), y: make([]T, di), zs: make([]T, di),
	}
	for range m.blocks {
		st.conv = append(st.conv, make([]T, (k-1)*di))
		st.h = append(st.h, make([]T, di*n))
	}
	st.refresh(m)
	return st
}

// refresh recomputes the per-layer constants A and the effective x_proj
// from the current weights.
func (st *LMState[T]) refresh(m *LM[T]) {
	d := m.dims
	st.a, st.eff = st.a[:0], st.eff[:0]
	for _, b := range m.blocks {
		mix := b.mix.(*mambaMixer[T])
		a := make([]T, len(mix.aLog.W))
		s6A(mix.aLog.W, a)
		eff := make([]T, len(mix.xProj.W))
		// The shapes are fixed at construction, so this cannot fail.
		_ = ParametrizeXProj(mix.param, d.dtRank, d.nState, d.dInner, mix.xProj.W, eff)
		st.a, st.eff = append(st.a, a), append(st.eff, eff)
	}
}

// Pos is the number of tokens fed so far.
func (st *LMState[T]) Pos() int { return st.pos }

// Step feeds token (an id < Vocab) at position st.Pos(), writes the logits
// of the next token into logits (Vocab), and advances st. trace, when not
// nil, receives the token's trajectory (StepTrace). The weights must not
// change between NewState and the last Step.
func (m *LM[T]) Step(st *LMState[T], token int32, logits []T, trace *StepTrace) error {
	v := m.cfg.Vocab
	if token < 0 || int(token) >= v {
		return fmt.Errorf("mamba: LM step: token %d outside the vocabulary [0, %d)", token, v)
	}
	if len(logits) != v {
		return fmt.Errorf("mamba: LM step: logits has %d entries, want %d", len(logits), v)
	}
	if len(st.h) != len(m.blocks) {
		return fmt.Errorf("mamba: LM step: state of %d layers for a model of %d", len(st.h), len(m.blocks))
	}
	d := m.dims
	dm, di, n, k, r := d.dModel, d.dInner, d.nState, d.dConv, d.dtRank
	ldx := r + 2*n
	copy(st.r, m.embed.W[int(token)*dm:(int(token)+1)*dm])
	if trace != nil {
		trace.Residual = resizeF64(trace.Residual, len(m.blocks)+1)
		trace.Update = resizeF64(trace.Update, len(m.blocks))
		trace.SelfInteract = resizeF64(trace.SelfInteract, len(m.blocks))
		trace.Residual[0] = norm2(st.r)
	}
	for li, b := range m.blocks {
		mix := b.mix.(*mambaMixer[T])
		rmsNormForward(1, dm, st.r, b.norm.W, st.nrm, st.rstd[:])
		matVec(dm, 2*di, mix.inProj.W, nil, st.nrm, st.xz)
		// Causal depthwise convolution over the last d_conv inputs
		// (PyTorch's cross-correlation: weight k pairs with input l−(K−1)+k).
		hist := st.conv[li]
		x := st.xz[:di]
		for c := 0; c < di; c++ {
			s := mix.convB.W[c]
			for j := 0; j < k-1; j++ {
				s += mix.convW.W[c*k+j] * hist[j*di+c]
			}
			st.xc[c] = s + mix.convW.W[c*k+k-1]*x[c]
		}
		if k > 1 {
			copy(hist, hist[di:])
			copy(hist[(k-2)*di:], x)
		}
		siluForward(1, di, st.xc, di, st.u)
		matVec(di, ldx, st.eff[li], nil, st.u, st.xdbl)
		matVec(r, di, mix.dtW.W, mix.dtB.W, st.xdbl[:r], st.dpre)
		softplusForward(st.dpre, st.delta)
		bv, cv := st.xdbl[r:r+n], st.xdbl[r+n:r+2*n]
		h, a := st.h[li], st.a[li]
		for c := 0; c < di; c++ {
			dc, uc := st.delta[c], st.u[c]
			hc, ac := h[c*n:(c+1)*n], a[c*n:(c+1)*n]
			var y T
			for j := 0; j < n; j++ {
				hc[j] = mamba.ExpT(dc*ac[j])*hc[j] + dc*bv[j]*uc
				y += cv[j] * hc[j]
			}
			st.y[c] = y + mix.dSkip.W[c]*uc
		}
		siluForward(1, di, st.xz[di:], 2*di, st.zs)
		for c := range st.y {
			st.y[c] *= st.zs[c]
		}
		matVec(di, dm, mix.outProj.W, nil, st.y, st.out)
		for i, o := range st.out {
			st.r[i] += o
		}
		if trace != nil {
			var bc float64
			for j := 0; j < n; j++ {
				bc += float64(bv[j]) * float64(cv[j])
			}
			trace.SelfInteract[li] = bc
			trace.Update[li] = norm2(st.out)
			trace.Residual[li+1] = norm2(st.r)
		}
	}
	rmsNormForward(1, dm, st.r, m.normF.W, st.nrm, st.rstd[:])
	matVec(dm, v, m.embed.W, nil, st.nrm, logits)
	st.pos++
	return nil
}

// matVec computes y = W x (+ bias) for one token: W (out, in) row-major,
// PyTorch's nn.Linear layout. A plain dot product per row: for a single
// row of x this beats the blocked matrix product, which is built for M ≫ 1.
func matVec[T Float](in, out int, w, bias, x, y []T) {
	x = x[:in]
	for o := 0; o < out; o++ {
		row := w[o*in : (o+1)*in]
		var s0, s1, s2, s3 T
		i := 0
		for ; i+4 <= in; i += 4 {
			s0 += row[i] * x[i]
			s1 += row[i+1] * x[i+1]
			s2 += row[i+2] * x[i+2]
			s3 += row[i+3] * x[i+3]
		}
		for ; i < in; i++ {
			s0 += row[i] * x[i]
		}
		s := (s0 + s1) + (s2 + s3)
		if bias != nil {
			s += bias[o]
		}
		y[o] = s
	}
}

func norm2[T Float](x []T) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}

func resizeF64(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}
