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
	gyg, gys, gxs []T // backward scratch (M, Dᵢ)
	gdelta, gxc   []T
	gxz           []T // (M, 2Dᵢ)
	gxdbl         []T // (M, R+2N)
	geff, gA      []T
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

func (m *mambaMixer[T]) forward(x []T, nb, nl int, out []T, train bool) error {
	m.resize(nb, nl)
	m.x = x
	mm := nb * nl
	di, r, n, k, dm := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dConv, m.dims.dModel
	ldx := r + 2*n
	linearForward(mm, dm, 2*di, x, dm, m.inProj.W, nil, m.xz, 2*di)
	conv1dForward(nb, nl, di, k, causalLeft(k), m.xz, 2*di, m.convW.W, m.convB.W, m.xc)
	siluForward(mm, di, m.xc, di, m.xs)
	if err := ParametrizeXProj(m.param, r, n, di, m.xProj.W, m.eff); err != nil {
		return err
	}
	linearForward(mm, di, ldx, m.xs, di, m.eff, nil, m.xdbl, ldx)
	linearForward(mm, r, di, m.xdbl, ldx, m.dtW.W, m.dtB.W, m.dpre, di)
	softplusForward(m.dpre, m.delta)
	for i, v := range m.aLog.W {
		m.a[i] = -mamba.ExpT(v)
	}
	var tape *mamba.TokenTape[T]
	w := *m.workers
	if train {
		tape = &m.tape
		tape.Reset(mamba.TokenDims{Batch: nb, Len: nl, Dim: di, State: n, LdBC: ldx}, w)
	}
	mamba.ScanTokens(mamba.TokenDims{Batch: nb, Len: nl, Dim: di, State: n, LdBC: ldx}, w,
		m.xs, m.delta, m.a, m.xdbl[r:], m.xdbl[r+n:], m.dSkip.W, m.ys, tape)
	siluForward(mm, di, m.xz[di:], 2*di, m.zs)
	for i, v := range m.ys {
		m.yg[i] = v * m.zs[i]
	}
	linearForward(mm, di, dm, m.yg, di, m.outProj.W, nil, out, dm)
	return nil
}

func (m *mambaMixer[T]) backward(gout, gx []T) {
	nb, nl := m.nb, m.nl
	mm := nb * nl
	di, r, n, k, dm := m.dims.dInner, m.dims.dtRank, m.dims.nState, m.dims.dConv, m.dims.dModel
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

	// out = yg out_projᵀ
	linearBackward(mm, di, dm, m.yg, di, m.outProj.W, gout, dm, m.outProj.G, nil, m.gyg, di, false)
	// yg = ys ⊙ SiLU(z): ∂ys = gyg ⊙ zs, ∂zs = gyg ⊙ ys (stored in gxc as scratch)
	for i, g := range m.gyg {
		m.gys[i] = g * m.zs[i]
		m.gxc[i] = g * m.ys[i]
	}
	siluBackward(mm, di, m.xz[di:], 2*di, m.gxc, m.gxz[di:], 2*di, false)
	// scan
	clear(m.gA)
	mamba.ScanTokensBackward(*m.workers, m.xs, m.delta, m.a, m.xdbl[r:], m.xdbl[r+n:], m.dSkip.W, m.gys, &m.tape,
		m.gxs, m.gdelta, m.gxdbl[r:], m.gxdbl[r+n:], m.gA, m.dSkip.G)
	for i, g := range m.gA { // A = −exp(A_log): ∂A_log = ∂A ⊙ A
		m.aLog.G[i] += g * m.a[i]
	}
	// Δ = softplus(dpre), dpre = δ̃ W_dtᵀ + b
	softplusBackward(m.dpre, m.gdelta, m.gdelta)
	linearBackward(mm, r, di, m.xdbl, ldx, m.dtW.W, m.gdelta, di, m.dtW.G, m.dtB.G, m.gxdbl, ldx, false)
	// xdbl = xs effᵀ
	clear(m.geff)
	linearBackward(mm, di, ldx, m.xs, di, m.eff, m.gxdbl, ldx, m.geff, nil, m.gxs, di, true)
	parametrizeXProjBackward(m.param, r, n, di, m.xProj.W, m.geff, m.xProj.G)
	// xs = SiLU(xc), xc = conv(x-half of xz)
	siluBackward(mm, di, m.xc, di, m.gxs, m.gxc, di, false)
	for i := 0; i < mm; i++ {
		clear(m.gxz[i*2*di : i*2*di+di])
	}
	conv1dBackward(nb, nl, di, k, causalLeft(k), m.xz, 2*di, m.convW.W, m.gxc, m.convW.G, m.convB.G, m.gxz, 2*di)
	linearBackward(mm, dm, 2*di, m.x, dm, m.inProj.W, m.gxz, 2*di, m.inProj.G, nil, gx, dm, true)
}
