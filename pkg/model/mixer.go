package model

import (
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// mixer is one sequence mixer of a residual block, with its own forward
// cache. Activations are token-major (B, L, d_model), M = B·L rows.
type mixer[T Float] interface {
	params() []*Param[T]
	// forward computes out (M, d_model) from x (M, d_model); with train it
	// keeps what backward needs. x must stay unchanged until backward.
	forward(x []T, nb, nl int, out []T, train bool) error
	// backward adds ∂loss/∂x to gx given gout = ∂loss/∂out, and the
	// parameter gradients to their G.
	backward(gout, gx []T)
	// effectiveXProj returns the effective x_proj weight (R+2N, d_x).
	effectiveXProj() []T
	xProjShape() (rows, cols int)
}

// mambaMixer is mamba_ssm's Mamba mixer (mamba_simple.py, the slow path),
// docs/paper.md §1.3:
//
//	x, z = split(in_proj(h))                         (M, Dᵢ) each, Dᵢ = expand·d_model
//	x    = SiLU(causal depthwise conv1d(x) + bias)   kernel d_conv, left padding d_conv−1
//	δ̃, B, C = split(x_proj(x))                       (M, R), (M, N), (M, N)
//	Δ    = softplus(dt_proj.weight δ̃ + dt_proj.bias) (M, Dᵢ)
//	y    = S6(x, Δ, A = −exp(A_log), B, C) + D ⊙ x
//	out  = out_proj(y ⊙ SiLU(z))
//
// With a parametrization (refinement 1) x_proj's weight is the image of the
// raw tensor under ParametrizeXProj, recomputed at every forward.
type mambaMixer[T Float] struct {
	dims    mixerDims
	param   string
	workers *int

	inProj, convW, convB, xProj, dtW, dtB, aLog, dSkip, outProj *Param[T]

	// forward cache
	nb, nl        int
	x             []T // input (M, d_model), not owned
	xz            []T // (M, 2Dᵢ)
	xc, xs        []T // conv output, SiLU(conv) = u   (M, Dᵢ)
	xdbl          []T // (M, R+2N)
	dpre, delta   []T // (M, Dᵢ)
	a             []T // A = −exp(A_log) (Dᵢ, N)
	ys, zs, yg    []T // scan output, SiLU(z), gated  (M, Dᵢ)
	eff           []T // effective x_proj weight (R+2N, Dᵢ)
	tape          mamba.TokenTape[T]
	s6            *mamba.ScanArgs[T] // the scan's arguments (s6Scan), set by forwardBegin
	s6g           *mamba.ScanGrad[T] // its gradients (s6Grad), set by backwardBegin
	gyg, gys, gxs []T                // backward scratch (M, Dᵢ)
	gdelta, gxc   []T
	gxz           []T // (M, 2Dᵢ)
	gxdbl         []T // (M, R+2N)
	geff, gA      []T
	gpart, gsum   []T // per-batch parameter-gradient partials, their sum
}

func newMambaMixer[T Float](prefix string, dims mixerDims, param string, nLayer int, workers *int, rng *rand.Rand) *mambaMixer[T] {
	di, r, n, k, dm := dims.dInner, dims.dtRank, dims.nState, dims.dConv, dims.dModel
	m := &mambaMixer[T]{dims: dims, param: param, workers: workers}
	xProjName := prefix + "x_proj.weight"
	if param != ParamNone {
		xProjName = prefix + "x_proj.parametrizations.weight.original"
	}
	m.inProj = NewParam[T](prefix+"in_proj.weight", false, 2*di, dm)
	m.convW = NewParam[T](prefix+"conv1d.weight", false, di, 1, k)
	m.convB = NewParam[T](prefix+"conv1d.bias", true, di)
	m.xProj = NewParam[T](xProjName, false, r+2*n, di)
	m.dtW = NewParam[T](prefix+"dt_proj.weight", false, di, r)
	m.dtB = NewParam[T](prefix+"dt_proj.bias", true, di)
	m.aLog = NewParam[T](prefix+"A_log", true, di, n)
	m.dSkip = NewParam[T](prefix+"D", true, di)
	m.outProj = NewParam[T](prefix+"out_proj.weight", false, dm, di)

	initUniform(rng, m.inProj.W, 1/sqrtf(dm))
	initUniform(rng, m.convW.W, 1/sqrtf(k))
	initUniform(rng, m.convB.W, 1/sqrtf(k))
	initUniform(rng, m.xProj.W, 1/sqrtf(di))
	initUniform(rng, m.dtW.W, 1/sqrtf(r))
	initDtBias(rng, m.dtB.W)
	initALog(m.aLog.W, n)
	initFill(m.dSkip.W, 1)
	initUniform(rng, m.outProj.W, 1/sqrtf(di)/sqrtf(nLayer))
	m.eff = make([]T, (r+2*n)*di)
	m.a = make([]T, di*n)
	return m
}

func (m *mambaMixer[T]) params() []*Param[T] {
	return []*Param[T]{m.inProj, m.convW, m.convB, m.xProj, m.dtW, m.dtB, m.aLog, m.dSkip, m.outProj}
}

func (m *mambaMixer[T]) xProjShape() (int, int) {
	return m.dims.dtRank + 2*m.dims.nState, m.dims.dInner
}

func (m *mambaMixer[T]) effectiveXProj() []T {
	eff := make([]T, len(m.xProj.W))
	// The shapes are fixed at construction, so this cannot fail.
	_ = ParametrizeXProj(m.param, m.dims.dtRank, m.dims.nState, m.dims.dInner, m.xProj.W, eff)
	return eff
}

func (m *mambaMixer[T]) resize(nb, nl int) {
	m.nb, m.nl = nb, nl
	mm := nb * nl
	di, r, n := m.dims.dInner, m.dims.dtRank, m.dims.nState
	m.xz = grow(m.xz, mm*2*di)
	m.xc = grow(m.xc, mm*di)
	m.xs = grow(m.xs, mm*di)
	m.xdbl = grow(m.xdbl, mm*(r+2*n))
	m.dpre = grow(m.dpre, mm*di)
	m.delta = grow(m.delta, mm*di)
	m.ys = grow(m.ys, mm*di)
	m.zs = grow(m.zs, mm*di)
	m.yg = grow(m.yg, mm*di)
}

// The forward runs in one section parallel over batch ranges (forBatchesW),
// the scan included (mamba.ScanTokensSeqs on the range's sequences); the
// backward in one such section, then the weight-gradient products, which
// sum over all rows, on their own. Sums over sequences (∂A, ∂D, the conv and
// dt biases) are per-sequence partials reduced in batch order afterwards;
// see parallel.go for why the result does not depend on the number of
// workers.

// seqBlock is how many sequences of a worker's range one forwardSeqs or
// backwardSeqs call takes: the range goes through the mixer one sequence at
// a time, so that the intermediates one op hands to the next (a few MB per
// range at d_inner 160, L 256) come from the core's cache rather than from
// memory shared by the cores. Any split of the batch gives the same bits.
const seqBlock = 1

func (m *mambaMixer[T]) forward(x []T, nb, nl int, out []T, train bool) error {
	if err := m.forwardBegin(x, nb, nl, train); err != nil {
		return err
	}
	forBatchesW(nb, *m.workers, func(wk, b0, b1, inner int) {
		for c := b0; c < b1; c += seqBlock {
			m.forwardSeqs(wk, c, min(c+seqBlock, b1), inner, x, out)
		}
	})
	return nil
}

// forwardBegin prepares a forward of x (nb sequences of nl tokens): buffers,
// the effective x_proj weight, A and the scan's tape.
func (m *mambaMixer[T]) forwardBegin(x []T, nb, nl int, train bool) error {
	m.resize(nb, nl)
	m.x = x
	di, r, n := m.dims.dInner, m.dims.dtRank, m.dims.nState
	if err := ParametrizeXProj(m.param, r, n, di, m.xProj.W, m.eff); err != nil {
		return err
	}
	s6A(m.aLog.W, m.a)
	m.s6 = s6Scan(nb, nl, di, r, n, m.xs, m.delta, m.a, m.xdbl, m.dSkip.W)
	if train {
		m.tape.Reset(m.s6, *m.workers)
	} else {
		m.tape.ResetForward(m.s6, *m.workers)
	}
	return nil
}

// forwardSeqs is the forward of the sequences [b0, b1) on worker wk (after
// forwardBegin(x, ...)): x and out are the whole batch's (M, d_model), only
// the range's rows are read and written.
func (m *mambaMixer[T]) forwardSeqs(wk, b0, b1, inner int, x, out []T) {
	nl := m.nl
	di, r, n, k, dm := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dConv, m.dims.dModel
	ldx := r + 2*n
	r0, r1, rows := b0*nl, b1*nl, (b1-b0)*nl
	xz := m.xz[r0*2*di:]
	xs := m.xs[r0*di:]
	xdbl := m.xdbl[r0*ldx:]
	linearForwardW(inner, rows, dm, 2*di, x[r0*dm:], dm, m.inProj.W, nil, xz, 2*di)
	conv1dForward(b1-b0, nl, di, k, causalLeft(k), xz, 2*di, m.convW.W, m.convB.W, m.xc[r0*di:])
	siluForward(rows, di, m.xc[r0*di:], di, xs)
	s6Project(inner, rows, di, r, n, xs, di, m.eff, m.dtW.W, m.dtB.W, 1, xdbl, m.dpre[r0*di:], m.delta[r0*di:])
	mamba.ScanTokensSeqs(&m.tape, wk, b0, b1, m.s6, m.ys)
	zs, ys, yg := m.zs[r0*di:r1*di], m.ys[r0*di:r1*di], m.yg[r0*di:r1*di]
	siluForward(rows, di, m.xz[r0*2*di+di:], 2*di, zs)
	mulInto(yg, ys, zs)
	linearForwardW(inner, rows, di, dm, yg, di, m.outProj.W, nil, out[r0*dm:], dm)
}

func (m *mambaMixer[T]) backward(gout, gx []T) {
	m.backwardBegin()
	forBatchesW(m.nb, *m.workers, func(wk, b0, b1, inner int) {
		for c := b0; c < b1; c += seqBlock {
			m.backwardSeqs(wk, c, min(c+seqBlock, b1), inner, gout, gx)
		}
	})
	m.backwardEnd(gout)
}

// backwardBegin prepares the backward of the last training forward.
func (m *mambaMixer[T]) backwardBegin() {
	nb, nl := m.nb, m.nl
	mm := nb * nl
	di, r, n, k := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dConv
	ldx := r + 2*n
	m.gyg = grow(m.gyg, mm*di)
	m.gys = grow(m.gys, mm*di)
	m.gxs = grow(m.gxs, mm*di)
	m.gdelta = grow(m.gdelta, mm*di)
	m.gxc = grow(m.gxc, mm*di)
	m.gxz = grow(m.gxz, mm*2*di)
	m.gxdbl = grow(m.gxdbl, mm*ldx)
	m.geff = grow(m.geff, ldx*di)
	m.gA = grow(m.gA, di*n)
	m.gpart = grow(m.gpart, nb*(k+2)*di) // per batch: ∂conv.weight (K, C), ∂conv.bias, ∂dt_proj.bias
	clear(m.gpart)
	m.s6g = s6Grad(r, n, m.gxs, m.gdelta, m.gxdbl, nil, nil) // ∂A, ∂D: backwardSums reduces them
}

// backwardSeqs is the backward of the sequences [b0, b1) on worker wk
// (after backwardBegin): it adds their rows of ∂loss/∂x to gx and keeps
// their per-sequence parameter-gradient partials; gout and gx are the whole
// batch's (M, d_model).
func (m *mambaMixer[T]) backwardSeqs(wk, b0, b1, inner int, gout, gx []T) {
	nl := m.nl
	di, r, n, k, dm := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dConv, m.dims.dModel
	ldx := r + 2*n
	r0, r1, rows := b0*nl, b1*nl, (b1-b0)*nl
	// out = yg out_projᵀ; yg = ys ⊙ SiLU(z): ∂ys = gyg ⊙ zs, ∂zs = gyg ⊙ ys (in gxc as scratch)
	gyg, gys, gzs := m.gyg[r0*di:r1*di], m.gys[r0*di:r1*di], m.gxc[r0*di:r1*di]
	linearBackwardW(inner, rows, di, dm, nil, di, m.outProj.W, gout[r0*dm:], dm, nil, nil, gyg, di, false)
	zs, ys := m.zs[r0*di:r1*di], m.ys[r0*di:r1*di]
	mulInto(gys, gyg, zs)
	mulInto(gzs, gyg, ys)
	siluBackward(rows, di, m.xz[r0*2*di+di:], 2*di, gzs, m.gxz[r0*2*di+di:], 2*di, false)
	// scan: ∂u, ∂Δ, ∂B, ∂C of the range; ∂A, ∂D per sequence in the tape
	mamba.ScanTokensBackwardSeqs(&m.tape, wk, b0, b1, m.s6, m.gys, m.s6g)
	// Δ = softplus(dpre), dpre = δ̃ W_dtᵀ + b; xdbl = xs effᵀ; xs = SiLU(xc),
	// xc = conv(x-half of xz); xz = x in_projᵀ.
	gxdbl, gxs := m.gxdbl[r0*ldx:], m.gxs[r0*di:]
	s6ProjectBackward(inner, rows, di, r, n, m.dpre[r0*di:], m.dtW.W, m.eff, m.gdelta[r0*di:], gxdbl, gxs, di)
	for b := b0; b < b1; b++ {
		gdtb := m.gpart[(b*(k+2)+k+1)*di : (b*(k+2)+k+2)*di]
		for l := 0; l < nl; l++ {
			for j, g := range m.gdelta[(b*nl+l)*di : (b*nl+l+1)*di] {
				gdtb[j] += g
			}
		}
	}
	siluBackward(rows, di, m.xc[r0*di:], di, gxs, m.gxc[r0*di:], di, false)
	for i := r0; i < r1; i++ {
		clear(m.gxz[i*2*di : i*2*di+di])
	}
	for b := b0; b < b1; b++ {
		part := m.gpart[b*(k+2)*di : (b*(k+2)+k+2)*di]
		conv1dBackwardKC(1, nl, di, k, causalLeft(k), m.xz[b*nl*2*di:], 2*di, m.convW.W, m.gxc[b*nl*di:],
			part[:k*di], part[k*di:(k+1)*di], m.gxz[b*nl*2*di:], 2*di)
	}
	linearBackwardW(inner, rows, dm, 2*di, nil, dm, m.inProj.W, m.gxz[r0*2*di:], 2*di, nil, nil, gx[r0*dm:], dm, true)
}

// backwardEnd adds the parameter gradients that sum over every row or every
// sequence, once backwardSeqs has covered the batch; gout as in backward.
func (m *mambaMixer[T]) backwardEnd(gout []T) {
	m.backwardSums()
	weightGrads(*m.workers, m.nb*m.nl, m.weightGradJobs(gout))
	m.weightGradsDone()
}

// backwardSums adds the parameter gradients that are sums over sequences
// (∂A_log, ∂D, ∂conv1d, ∂dt_proj.bias), reducing the per-sequence partials
// in batch order.
func (m *mambaMixer[T]) backwardSums() {
	nb := m.nb
	di, k := m.dims.dInner, m.dims.dConv
	clear(m.gA)
	mamba.ReduceTokenGrads(&m.tape, m.gA, m.dSkip.G)
	for i, g := range m.gA { // A = −exp(A_log): ∂A_log = ∂A ⊙ A
		m.aLog.G[i] += g * m.a[i]
	}
	m.gsum = grow(m.gsum, (k+2)*di)
	clear(m.gsum)
	reduceBatches(nb, (k+2)*di, m.gpart, m.gsum)
	addKernelGrad(di, k, m.gsum[:k*di], m.convW.G)
	for j := 0; j < di; j++ {
		m.convB.G[j] += m.gsum[k*di+j]
		m.dtB.G[j] += m.gsum[(k+1)*di+j]
	}
}

// weightGradJobs returns the weight-gradient products (sums over all rows,
// in an order fixed by the shapes) for weightGrads or weightGradsShare;
// weightGradsDone must follow once they have all run. gout as in backward.
func (m *mambaMixer[T]) weightGradJobs(gout []T) []weightGrad[T] {
	di, r, n, dm := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dModel
	ldx := r + 2*n
	clear(m.geff)
	return []weightGrad[T]{
		{dm, di, gout, dm, m.yg, di, m.outProj.G},
		{di, r, m.gdelta, di, m.xdbl, ldx, m.dtW.G},
		{ldx, di, m.gxdbl, ldx, m.xs, di, m.geff},
		{2 * di, dm, m.gxz, 2 * di, m.x, dm, m.inProj.G},
	}
}

// weightGradsDone maps ∂(effective x_proj) back to the raw x_proj tensor.
func (m *mambaMixer[T]) weightGradsDone() {
	parametrizeXProjBackward(m.param, m.dims.dtRank, m.dims.nState, m.dims.dInner, m.xProj.W, m.geff, m.xProj.G)
}
