package model

import (
	"math/rand/v2"
	"runtime"

	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// visionMixer is the MambaVision mixer of the authors' code
// (mambavision/models/mamba_vision.py, MambaVisionMixer), with refinement 2
// (docs/paper.md §5.2) when reorder is on. With Dₕ = d_inner/2:
//
//	x, z = split(in_proj(h))                            (M, Dₕ) each; in_proj: d_model → d_inner, no bias
//	x    = SiLU(conv1d_x(x)),  z = SiLU(conv1d_z(z))     depthwise, non-causal padding='same', no bias
//	if reorder:
//	    δ  = dt_proj(x_proj_Δ(x))                        (M, Dₕ), with dt_proj's bias
//	    s  = K δ                                         (M) importance score, K = imporantness.weight (1, Dₕ)
//	    P̂  = SoftSort(−s) per sequence                   (B, L, L)
//	    x  = P̂ x                                         tokens sorted by ascending s
//	δ̃, B, C = split(x_proj(x))
//	Δ    = softplus(dt_proj(δ̃) + dt_proj.bias)           bias added twice, as the code (SingleDtBias: once)
//	y    = S6(x, Δ, A, B, C) + D ⊙ x                      no z gate in the scan
//	out  = out_proj(concat(y, z))                        out_proj: d_inner → d_model, no bias
//
// Code facts kept as-is: conv1d_x/conv1d_z are built with bias=conv_bias//2,
// which is 0 for conv_bias=True, so the convolutions have no bias; PyTorch's
// 'same' padding with an even kernel pads (K−1)/2 on the left and the rest on
// the right. Options (VisionOptions) switch on z reordering and the inverse
// permutation, which the authors do not use.
type visionMixer[T Float] struct {
	dims    mixerDims // dInner is the full d_inner; the scan runs on dh = dInner/2
	dh      int
	param   string
	reorder bool
	opt     VisionOptions
	init    string // InitMamba or InitMambaVision
	workers *int

	inProj, convX, convZ, xProj, dtW, dtB, aLog, dSkip, outProj, imp *Param[T]

	nb, nl          int
	x               []T // input (M, d_model), not owned
	xz              []T // (M, Dᵢ)
	xc, xs, zc, zs  []T // (M, Dₕ)
	dt0, d0         []T // importance path: (M, R), (M, Dₕ)
	score, v        []T // (M) s and −s
	phat, phard, pm []T // (B, L, L) soft matrix P̂, hard one-hot, and the one used (phat or phard)
	perm            []int
	xr, zr          []T // reordered x and z (M, Dₕ)
	xdbl            []T // (M, R+2N)
	dpre, delta, ys []T // (M, Dₕ)
	cat             []T // (M, Dᵢ)
	eff, a          []T
	tape            mamba.TokenTape[T]

	gcat, gxz                           []T
	gys, gu, gzs, gzr, gxs, gdelta, gd0 []T
	gdt0, gxdbl, geff, gA, gP, gv       []T
	gxc                                 []T
}

// newVisionMixer builds the mixer and draws its shared weights (those every
// arm of the reordering experiment has) from rng, with the initialisation
// init (InitMamba or InitMambaVision). The importance weight K of a
// reordering mixer is not drawn here: initImportance draws it, from its own
// stream, after every shared weight of the network, so that switching
// reordering on leaves every shared initial weight unchanged.
func newVisionMixer[T Float](prefix string, dims mixerDims, param string, nLayer int, reorder bool, opt VisionOptions,
	init string, workers *int, rng *rand.Rand) *visionMixer[T] {
	di, r, n, k, dm := dims.dInner, dims.dtRank, dims.nState, dims.dConv, dims.dModel
	dh := di / 2
	m := &visionMixer[T]{dims: dims, dh: dh, param: param, reorder: reorder, opt: opt, workers: workers, init: init}
	xProjName := prefix + "x_proj.weight"
	if param != ParamNone {
		xProjName = prefix + "x_proj.parametrizations.weight.original"
	}
	m.inProj = NewParam[T](prefix+"in_proj.weight", false, di, dm)
	m.convX = NewParam[T](prefix+"conv1d_x.weight", false, dh, 1, k)
	m.convZ = NewParam[T](prefix+"conv1d_z.weight", false, dh, 1, k)
	m.xProj = NewParam[T](xProjName, false, r+2*n, dh)
	m.dtW = NewParam[T](prefix+"dt_proj.weight", false, dh, r)
	m.dtB = NewParam[T](prefix+"dt_proj.bias", true, dh)
	m.aLog = NewParam[T](prefix+"A_log", true, dh, n)
	m.dSkip = NewParam[T](prefix+"D", true, dh)
	m.outProj = NewParam[T](prefix+"out_proj.weight", false, dm, di)

	if init == InitMambaVision {
		// Every nn.Linear: trunc_normal(0.02), bias 0 (dt_proj.bias stays 0).
		initTruncNormal(rng, m.inProj.W, visionStd)
		initUniform(rng, m.convX.W, 1/sqrtf(k))
		initUniform(rng, m.convZ.W, 1/sqrtf(k))
		initTruncNormal(rng, m.xProj.W, visionStd)
		initTruncNormal(rng, m.dtW.W, visionStd)
		initTruncNormal(rng, m.outProj.W, visionStd)
	} else {
		initUniform(rng, m.inProj.W, 1/sqrtf(dm))
		initUniform(rng, m.convX.W, 1/sqrtf(k))
		initUniform(rng, m.convZ.W, 1/sqrtf(k))
		initUniform(rng, m.xProj.W, 1/sqrtf(dh))
		initUniform(rng, m.dtW.W, 1/sqrtf(r))
		initDtBias(rng, m.dtB.W)
		initUniform(rng, m.outProj.W, 1/sqrtf(di)/sqrtf(nLayer))
	}
	initALog(m.aLog.W, n)
	initFill(m.dSkip.W, 1)
	if reorder {
		// The authors' attribute name, spelling included.
		m.imp = NewParam[T](prefix+"imporantness.weight", false, 1, dh)
	}
	m.eff = make([]T, (r+2*n)*dh)
	m.a = make([]T, dh*n)
	return m
}

// initImportance draws the importance weight K (1, Dₕ) of a reordering
// mixer from rng: trunc_normal(0.02) under InitMambaVision, U(±1/√Dₕ)
// (nn.Linear's default) otherwise. It does nothing without reordering.
func (m *visionMixer[T]) initImportance(rng *rand.Rand) {
	if m.imp == nil {
		return
	}
	if m.init == InitMambaVision {
		initTruncNormal(rng, m.imp.W, visionStd)
	} else {
		initUniform(rng, m.imp.W, 1/sqrtf(m.dh))
	}
}

func (m *visionMixer[T]) params() []*Param[T] {
	ps := []*Param[T]{m.inProj, m.convX, m.convZ, m.xProj, m.dtW, m.dtB, m.aLog, m.dSkip, m.outProj}
	if m.imp != nil {
		ps = append(ps, m.imp)
	}
	return ps
}

func (m *visionMixer[T]) xProjShape() (int, int) { return m.dims.dtRank + 2*m.dims.nState, m.dh }

func (m *visionMixer[T]) effectiveXProj() []T {
	eff := make([]T, len(m.xProj.W))
	_ = ParametrizeXProj(m.param, m.dims.dtRank, m.dims.nState, m.dh, m.xProj.W, eff)
	return eff
}

func (m *visionMixer[T]) resize(nb, nl int) {
	m.nb, m.nl = nb, nl
	mm := nb * nl
	di, dh, r, n := m.dims.dInner, m.dh, m.dims.dtRank, m.dims.nState
	m.xz = grow(m.xz, mm*di)
	m.xc = grow(m.xc, mm*dh)
	m.xs = grow(m.xs, mm*dh)
	m.zc = grow(m.zc, mm*dh)
	m.zs = grow(m.zs, mm*dh)
	m.xdbl = grow(m.xdbl, mm*(r+2*n))
	m.dpre = grow(m.dpre, mm*dh)
	m.delta = grow(m.delta, mm*dh)
	m.ys = grow(m.ys, mm*dh)
	m.cat = grow(m.cat, mm*di)
	if m.reorder {
		m.dt0 = grow(m.dt0, mm*r)
		m.d0 = grow(m.d0, mm*dh)
		m.score = grow(m.score, mm)
		m.v = grow(m.v, mm)
		m.phat = grow(m.phat, nb*nl*nl)
		m.perm = grow(m.perm, mm)
		m.xr = grow(m.xr, mm*dh)
		m.zr = grow(m.zr, mm*dh)
	}
}

// dtBiasFactor is how many times dt_proj.bias enters Δ.
func (m *visionMixer[T]) dtBiasFactor() T {
	if m.opt.SingleDtBias {
		return 1
	}
	return 2
}

func (m *visionMixer[T]) forward(x []T, nb, nl int, out []T, train bool) error {
	m.resize(nb, nl)
	m.x = x
	mm := nb * nl
	di, dh, r, n, k, dm := m.dims.dInner, m.dh, m.dims.dtRank, m.dims.nState, m.dims.dConv, m.dims.dModel
	linearForward(mm, dm, di, x, dm, m.inProj.W, nil, m.xz, di)
	conv1dForward(nb, nl, dh, k, sameLeft(k), m.xz, di, m.convX.W, nil, m.xc)
	siluForward(mm, dh, m.xc, dh, m.xs)
	conv1dForward(nb, nl, dh, k, sameLeft(k), m.xz[dh:], di, m.convZ.W, nil, m.zc)
	siluForward(mm, dh, m.zc, dh, m.zs)
	if err := ParametrizeXProj(m.param, r, n, dh, m.xProj.W, m.eff); err != nil {
		return err
	}
	u := m.xs
	if m.reorder {
		// Importance s = K(S_Δ x + b_dt) and the soft permutation of −s.
		linearForward(mm, dh, r, m.xs, dh, m.eff[:r*dh], nil, m.dt0, r)
		linearForward(mm, r, dh, m.dt0, r, m.dtW.W, m.dtB.W, m.d0, dh)
		importanceForward(mm, dh, m.d0, m.imp.W, m.score)
		for i, s := range m.score {
			m.v[i] = -s
		}
		m.pm = m.phat
		if m.opt.SoftSort.Hard {
			m.phard = grow(m.phard, nb*nl*nl)
			m.pm = m.phard
		}
		for b := 0; b < nb; b++ {
			softSortForward(m.opt.SoftSort, m.v[b*nl:(b+1)*nl], m.phat[b*nl*nl:(b+1)*nl*nl],
				m.pm[b*nl*nl:(b+1)*nl*nl], m.perm[b*nl:(b+1)*nl])
		}
		permuteForward(nb, nl, dh, m.pm, false, m.xs, dh, m.xr, dh)
		u = m.xr
	}
	s6Project(runtime.GOMAXPROCS(0), mm, dh, r, n, u, dh, m.eff, m.dtW.W, m.dtB.W, m.dtBiasFactor(), m.xdbl, m.dpre, m.delta)
	s6A(m.aLog.W, m.a)
	var tape *mamba.TokenTape[T]
	w := *m.workers
	sa := s6Scan(nb, nl, dh, r, n, u, m.delta, m.a, m.xdbl, m.dSkip.W)
	if train {
		tape = &m.tape
		tape.Reset(sa, w)
	}
	mamba.ScanTokens(sa, m.ys, w, tape)
	// concat(y, z), with the optional inverse permutation / z reordering.
	inv := m.reorder && m.opt.InversePermute
	if inv {
		permuteForward(nb, nl, dh, m.pm, true, m.ys, dh, m.cat, di)
	} else {
		copyRows(mm, dh, m.ys, dh, m.cat, di)
	}
	switch {
	case m.reorder && m.opt.ReorderZ:
		permuteForward(nb, nl, dh, m.pm, false, m.zs, dh, m.zr, dh)
		if inv {
			permuteForward(nb, nl, dh, m.pm, true, m.zr, dh, m.cat[dh:], di)
		} else {
			copyRows(mm, dh, m.zr, dh, m.cat[dh:], di)
		}
	default:
		copyRows(mm, dh, m.zs, dh, m.cat[dh:], di)
	}
	linearForward(mm, di, dm, m.cat, di, m.outProj.W, nil, out, dm)
	return nil
}

// copyRows copies m rows of width n between strided buffers.
func copyRows[T Float](m, n int, src []T, lds int, dst []T, ldd int) {
	for i := 0; i < m; i++ {
		copy(dst[i*ldd:i*ldd+n], src[i*lds:i*lds+n])
	}
}

func (m *visionMixer[T]) backward(gout, gx []T) {
	m.backwardResize()
	mm := m.nb * m.nl
	di, dh, k, dm := m.dims.dInner, m.dh, m.dims.dConv, m.dims.dModel
	linearBackward(mm, di, dm, m.cat, di, m.outProj.W, gout, dm, m.outProj.G, nil, m.gcat, di, false)
	m.backwardConcat()
	u := m.xs
	if m.reorder {
		u = m.xr
	}
	m.backwardS6(u)
	if m.reorder {
		m.backwardReorder()
	} else {
		copy(m.gxs, m.gu)
	}
	parametrizeXProjBackward(m.param, m.dims.dtRank, m.dims.nState, dh, m.xProj.W, m.geff, m.xProj.G)
	// z = SiLU(conv_z(z-half)), x = SiLU(conv_x(x-half))
	clear(m.gxz)
	siluBackward(mm, dh, m.zc, dh, m.gzs, m.gxc, dh, false)
	conv1dBackward(m.nb, m.nl, dh, k, sameLeft(k), m.xz[dh:], di, m.convZ.W, m.gxc, m.convZ.G, nil, m.gxz[dh:], di)
	siluBackward(mm, dh, m.xc, dh, m.gxs, m.gxc, dh, false)
	conv1dBackward(m.nb, m.nl, dh, k, sameLeft(k), m.xz, di, m.convX.W, m.gxc, m.convX.G, nil, m.gxz, di)
	linearBackward(mm, dm, di, m.x, dm, m.inProj.W, m.gxz, di, m.inProj.G, nil, gx, dm, true)
}

// backwardResize sizes the backward's buffers for the last forward.
func (m *visionMixer[T]) backwardResize() {
	nb, nl := m.nb, m.nl
	mm := nb * nl
	di, dh, r, n := m.dims.dInner, m.dh, m.dims.dtRank, m.dims.nState
	ldx := r + 2*n
	m.gcat = grow(m.gcat, mm*di)
	m.gxz = grow(m.gxz, mm*di)
	m.gys = grow(m.gys, mm*dh)
	m.gu = grow(m.gu, mm*dh)
	m.gzs = grow(m.gzs, mm*dh)
	m.gxs = grow(m.gxs, mm*dh)
	m.gdelta = grow(m.gdelta, mm*dh)
	m.gxc = grow(m.gxc, mm*dh)
	m.gxdbl = grow(m.gxdbl, mm*ldx)
	m.geff = grow(m.geff, ldx*dh)
	m.gA = grow(m.gA, dh*n)
	if m.reorder {
		m.gzr = grow(m.gzr, mm*dh)
		m.gd0 = grow(m.gd0, mm*dh)
		m.gdt0 = grow(m.gdt0, mm*r)
		m.gP = grow(m.gP, nb*nl*nl)
		m.gv = grow(m.gv, mm)
		clear(m.gP)
	}
}

// backwardConcat splits ∂concat(y, z) (gcat) into ∂y (gys) and ∂SiLU(z)
// (gzs), through the inverse permutation and the z reordering when the
// forward applied them (their ∂P into gP).
func (m *visionMixer[T]) backwardConcat() {
	nb, nl := m.nb, m.nl
	mm := nb * nl
	di, dh := m.dims.dInner, m.dh
	inv := m.reorder && m.opt.InversePermute
	// y branch
	if inv {
		clear(m.gys)
		permuteBackward(nb, nl, dh, m.pm, true, m.ys, dh, m.gcat, di, m.gys, dh, m.gP)
	} else {
		copyRows(mm, dh, m.gcat, di, m.gys, dh)
	}
	// z branch
	if m.reorder && m.opt.ReorderZ {
		if inv {
			clear(m.gzr)
			permuteBackward(nb, nl, dh, m.pm, true, m.zr, dh, m.gcat[dh:], di, m.gzr, dh, m.gP)
		} else {
			copyRows(mm, dh, m.gcat[dh:], di, m.gzr, dh)
		}
		clear(m.gzs)
		permuteBackward(nb, nl, dh, m.pm, false, m.zs, dh, m.gzr, dh, m.gzs, dh, m.gP)
	} else {
		copyRows(mm, dh, m.gcat[dh:], di, m.gzs, dh)
	}
}

// backwardS6 is the S6 step's backward on the scan input u (xs, or xr
// when reordering): the scan's adjoint (∂A_log, ∂D), s6ProjectBackward into
// gu, then the whole-batch weight gradients of dt_proj (weight, f·bias) and
// of the effective x_proj (geff, overwritten).
func (m *visionMixer[T]) backwardS6(u []T) {
	mm := m.nb * m.nl
	dh, r, n := m.dh, m.dims.dtRank, m.dims.nState
	ldx := r + 2*n
	clear(m.gA)
	mamba.ScanTokensBackward(*m.workers, s6Scan(m.nb, m.nl, dh, r, n, u, m.delta, m.a, m.xdbl, m.dSkip.W), m.gys,
		s6Grad(r, n, m.gu, m.gdelta, m.gxdbl, m.gA, m.dSkip.G), &m.tape)
	for i, g := range m.gA {
		m.aLog.G[i] += g * m.a[i]
	}
	s6ProjectBackward(runtime.GOMAXPROCS(0), mm, dh, r, n, m.dpre, m.dtW.W, m.eff, m.gdelta, m.gxdbl, m.gu, dh)
	linearBackward(mm, r, dh, m.xdbl, ldx, nil, m.gdelta, dh, m.dtW.G, nil, nil, 0, false)
	f := m.dtBiasFactor()
	for i := 0; i < mm; i++ {
		for d, g := range m.gdelta[i*dh : (i+1)*dh] {
			m.dtB.G[d] += f * g
		}
	}
	clear(m.geff)
	linearBackward(mm, dh, ldx, u, dh, nil, m.gxdbl, ldx, m.geff, nil, nil, 0, false)
}

// backwardReorder takes ∂x' (gu) back through x' = P x to ∂x (gxs), and
// ∂P (gP) through P = SoftSort(−s) and the importance s = K(S_Δ x + b_dt)
// to the weights (importance, dt_proj, x_proj's S_Δ rows) and to gxs.
func (m *visionMixer[T]) backwardReorder() {
	nb, nl := m.nb, m.nl
	mm := nb * nl
	dh, r := m.dh, m.dims.dtRank
	clear(m.gxs)
	permuteBackward(nb, nl, dh, m.pm, false, m.xs, dh, m.gu, dh, m.gxs, dh, m.gP)
	clear(m.gv)
	for b := 0; b < nb; b++ {
		softSortBackward(m.opt.SoftSort, m.v[b*nl:(b+1)*nl], m.phat[b*nl*nl:(b+1)*nl*nl], m.perm[b*nl:(b+1)*nl],
			m.gP[b*nl*nl:(b+1)*nl*nl], m.gv[b*nl:(b+1)*nl])
	}
	for i := range m.gv {
		m.gv[i] = -m.gv[i]
	}
	// s = K d0, d0 = dt0 W_dtᵀ + b, dt0 = xs eff_Δᵀ
	importanceBackward(mm, dh, m.d0, m.imp.W, m.gv, m.imp.G, m.gd0)
	linearBackward(mm, r, dh, m.dt0, r, m.dtW.W, m.gd0, dh, m.dtW.G, m.dtB.G, m.gdt0, r, false)
	linearBackward(mm, dh, r, m.xs, dh, m.eff[:r*dh], m.gdt0, r, m.geff[:r*dh], nil, m.gxs, dh, true)
}

// reordering returns the importance scores (M) and the matrix P used (B, L,
// L) of the last forward, or nil when the mixer does not reorder.
func (m *visionMixer[T]) reordering() (score, p []T) {
	if !m.reorder {
		return nil, nil
	}
	mm := m.nb * m.nl
	return append([]T(nil), m.score[:mm]...), append([]T(nil), m.pm[:m.nb*m.nl*m.nl]...)
}
