package mamba

import (
	"fmt"
	"math"
)

// ScanGrad holds the gradients of a loss through the selective scan, in the
// layout of ScanArgs (docs/paper.md §1.1, §1.3). Fields are nil when the matching
// input is nil (D, Z, DeltaBias).
//
//	DU, DDelta   (Bt, D, L)  ∂loss/∂u, ∂loss/∂delta (before DeltaBias and softplus)
//	DA           (D, N)      ∂loss/∂A; for A = −exp(A_log), ∂loss/∂A_log = DA ⊙ A
//	DB, DC       (Bt, N, L)  or (D, N) when VarB/VarC is false
//	DD           (D)
//	DZ           (Bt, D, L)
//	DDeltaBias   (D)
type ScanGrad[T Float] struct {
	DU, DDelta, DA, DB, DC, DD, DZ, DDeltaBias []T
}

// ScanBackward returns the gradients of Σ dy ⊙ y, y = ScanRef(a).Y, with
// respect to every input of the scan: the adjoint of the selective scan, the
// backward of selective_scan_ref. dy has the shape of Y, (Bt, D, L).
//
// It is the slow reference of the backward, written for clarity: it runs the
// forward recurrence in float64, stores every state h_l (Bt·D·L·N numbers)
// and then runs the adjoint recurrence backwards,
//
//	g_l = C_l dy_l' + Ā_{l+1} ⊙ g_{l+1}      (g = ∂loss/∂h_l, dy' = dy before the gate)
//	∂Δ_l = Σ_n g_l,n (A_n Ā_l,n h_{l-1,n} + B_l,n u_l)
//	∂A_n += g_l,n Δ_l Ā_l,n h_{l-1,n}
//	∂B_l,n += g_l,n Δ_l u_l,     ∂C_l,n += dy'_l h_l,n
//	∂u_l = Δ_l Σ_n g_l,n B_l,n + D dy'_l
//
// then through softplus (∂delta = ∂Δ σ(delta + bias)) and the SiLU gate. The
// models use the faster chunked kernel of scan_tokens.go and scan_tokens_backward.go, which is
// tested against this function.
func ScanBackward[T Float](a *ScanArgs[T], dy []T) (*ScanGrad[T], error) {
	if err := a.validateLayout(ChannelMajor, "ScanBackward"); err != nil {
		return nil, fmt.Errorf("mamba: scan backward: %w", err)
	}
	nb, nd, nl := a.Batch, a.Dim, a.Len
	if len(dy) != nb*nd*nl {
		return nil, fmt.Errorf("mamba: scan backward: dy has %d elements, want %d for shape (B,D,L)", len(dy), nb*nd*nl)
	}
	g := newScanGrad(a)
	r := newRefBackward(a, dy, g)
	for b := 0; b < nb; b++ {
		for d := 0; d < nd; d++ {
			r.channel(b, d)
		}
	}
	r.round()
	return g, nil
}

// newScanGrad allocates the gradients of a's inputs (nil for a nil D, Z or
// DeltaBias), zeroed.
func newScanGrad[T Float](a *ScanArgs[T]) *ScanGrad[T] {
	nb, nd, nl, nn := a.Batch, a.Dim, a.Len, a.State
	g := &ScanGrad[T]{
		DU:     make([]T, nb*nd*nl),
		DDelta: make([]T, nb*nd*nl),
		DA:     make([]T, nd*nn),
		DB:     make([]T, len(a.B)),
		DC:     make([]T, len(a.C)),
	}
	if a.D != nil {
		g.DD = make([]T, nd)
	}
	if a.Z != nil {
		g.DZ = make([]T, nb*nd*nl)
	}
	if a.DeltaBias != nil {
		g.DDeltaBias = make([]T, nd)
	}
	return g
}

// refBackward is the state of ScanBackward: the parameter gradients summed
// in float64 over every channel (rounded once by round), and the scratch of
// one (b, d) channel.
type refBackward[T Float] struct {
	a  *ScanArgs[T]
	dy []T
	g  *ScanGrad[T]

	dA, dB, dC, dD, dBias []float64 // (D, N), like B, like C, (D), (D)
	hs                    []float64 // h_0 .. h_L of one channel, (L+1, N)
	dts                   []float64 // Δ_l of one channel, (L)
	gh                    []float64 // ∂loss/∂h_l of one channel, (N)
}

func newRefBackward[T Float](a *ScanArgs[T], dy []T, g *ScanGrad[T]) *refBackward[T] {
	nd, nl, nn := a.Dim, a.Len, a.State
	return &refBackward[T]{a: a, dy: dy, g: g,
		dA: make([]float64, nd*nn), dB: make([]float64, len(a.B)), dC: make([]float64, len(a.C)),
		dD: make([]float64, nd), dBias: make([]float64, nd),
		hs: make([]float64, (nl+1)*nn), dts: make([]float64, nl), gh: make([]float64, nn)}
}

// bIdx and cIdx are the indices of B_l,n and C_l,n of channel d of batch
// element b: (Bt, N, L) when varying, (D, N) otherwise.
func (r *refBackward[T]) bIdx(b, d, n, l int) int {
	if r.a.VarB {
		return (b*r.a.State+n)*r.a.Len + l
	}
	return d*r.a.State + n
}

func (r *refBackward[T]) cIdx(b, d, n, l int) int {
	if r.a.VarC {
		return (b*r.a.State+n)*r.a.Len + l
	}
	return d*r.a.State + n
}

// channel runs channel d of batch element b: the forward recurrence,
// storing every state, then the adjoint from the last position back.
func (r *refBackward[T]) channel(b, d int) {
	a, nd, nl, nn := r.a, r.a.Dim, r.a.Len, r.a.State
	hs, dts, gh := r.hs, r.dts, r.gh
	for n := 0; n < nn; n++ {
		hs[n] = 0
	}
	for l := 0; l < nl; l++ {
		i := (b*nd+d)*nl + l
		dt := a.step(i, d)
		dts[l] = dt
		u := float64(a.U[i])
		for n := 0; n < nn; n++ {
			hs[(l+1)*nn+n] = math.Exp(dt*float64(a.A[d*nn+n]))*hs[l*nn+n] + dt*float64(a.B[r.bIdx(b, d, n, l)])*u
		}
	}
	for n := range gh {
		gh[n] = 0
	}
	for l := nl - 1; l >= 0; l-- {
		r.adjointStep(b, d, l)
	}
}

// adjointStep is position l of channel (b, d) of the adjoint recurrence:
// on entry gh holds Ā_{l+1} ⊙ ∂loss/∂h_{l+1}, on exit Ā_l ⊙ ∂loss/∂h_l.
func (r *refBackward[T]) adjointStep(b, d, l int) {
	a, g, nd, nl, nn := r.a, r.g, r.a.Dim, r.a.Len, r.a.State
	hs, gh := r.hs, r.gh
	i := (b*nd+d)*nl + l
	u := float64(a.U[i])
	dt := r.dts[l]
	gy := float64(r.dy[i])
	if a.Z != nil {
		// y = y'·SiLU(z): recompute y' for ∂z.
		z := float64(a.Z[i])
		var yp float64
		for n := 0; n < nn; n++ {
			yp += float64(a.C[r.cIdx(b, d, n, l)]) * hs[(l+1)*nn+n]
		}
		if a.D != nil {
			yp += float64(a.D[d]) * u
		}
		s := Sigmoid(z)
		g.DZ[i] = T(gy * yp * s * (1 + z*(1-s)))
		gy *= SiLU(z)
	}
	var gdt, gu float64
	for n := 0; n < nn; n++ {
		an := float64(a.A[d*nn+n])
		abar := math.Exp(dt * an)
		bn := float64(a.B[r.bIdx(b, d, n, l)])
		cn := float64(a.C[r.cIdx(b, d, n, l)])
		gh[n] += gy * cn
		r.dC[r.cIdx(b, d, n, l)] += gy * hs[(l+1)*nn+n]
		t := gh[n] * abar * hs[l*nn+n]
		gdt += t*an + gh[n]*bn*u
		r.dA[d*nn+n] += t * dt
		r.dB[r.bIdx(b, d, n, l)] += gh[n] * dt * u
		gu += gh[n] * dt * bn
		gh[n] *= abar
	}
	if a.D != nil {
		gu += float64(a.D[d]) * gy
		r.dD[d] += gy * u
	}
	g.DU[i] = T(gu)
	if a.DeltaSoftplus {
		gdt *= Sigmoid(a.rawStep(i, d))
	}
	g.DDelta[i] = T(gdt)
	r.dBias[d] += gdt
}

// round stores the float64 sums into the gradients of g.
func (r *refBackward[T]) round() {
	g := r.g
	for i, v := range r.dA {
		g.DA[i] = T(v)
	}
	for i, v := range r.dB {
		g.DB[i] = T(v)
	}
	for i, v := range r.dC {
		g.DC[i] = T(v)
	}
	if g.DD != nil {
		for i, v := range r.dD {
			g.DD[i] = T(v)
		}
	}
	if g.DDeltaBias != nil {
		for i, v := range r.dBias {
			g.DDeltaBias[i] = T(v)
		}
	}
}
