package mamba

import (
	"unsafe"

	"github.com/tokendyn/tokendyn/internal/parallel"
)

// ScanTokensBackward is the adjoint of ScanTokens (same recurrences as
// ScanBackward). Given dy = ∂loss/∂y (Bt, L, D) it writes g.DU, g.DDelta,
// g.DB, g.DC (overwritten) and adds to g.DA, g.DD, in a's TokenMajor layout
// (scan_tokens_args.go; a and g must pass a.ValidateTokens(dy, g), which
// this hot path does not check). a must hold the arrays of the forward that
// filled tape.
func ScanTokensBackward[T Float](workers int, a *ScanArgs[T], dy []T, g *ScanGrad[T], tape *TokenTape[T]) {
	parallel.Ranges(tape.dims.Batch, workers, func(w, b0, b1 int) {
		ScanTokensBackwardSeqs(tape, w, b0, b1, a, dy, g)
	})
	ReduceTokenGrads(tape, g.DA, g.DD)
}

// ScanTokensBackwardSeqs is ScanTokensBackward on the sequences [b0, b1)
// only, on the calling goroutine with worker w's scratch: it writes their
// rows of g.DU, g.DDelta, g.DB, g.DC and keeps their ∂A (D, N) and ∂D (D), one
// partial sum per sequence, in tape (g.DA and g.DD are not read). Once every
// sequence has been through it, ReduceTokenGrads adds the partials to g.DA
// and g.DD in batch order, so the sums do not depend on how the batch was split.
func ScanTokensBackwardSeqs[T Float](tape *TokenTape[T], w, b0, b1 int, a *ScanArgs[T], dy []T, g *ScanGrad[T]) {
	u, delta, A, Bm, Cm, Dskip, gy := a.U, a.Delta, a.A, a.B, a.C, a.D, dy
	gu, gdelta, gB, gC := g.DU, g.DDelta, g.DB, g.DC
	dims := tape.dims
	nl, nd, nn, ld := dims.Len, dims.Dim, dims.State, dims.LdBC
	dn := nd * nn
	chunk := tape.chunk
	nChunks := tape.nChunks()
	ws := &tape.work[w]
	for b := b0; b < b1; b++ {
		gAb := tape.gAb[b*dn : (b+1)*dn]
		gDb := tape.gDb[b*nd : (b+1)*nd]
		clear(gAb)
		clear(gDb)
		adj := ws.g // ∂loss/∂h, carried backwards between positions
		clear(adj)
		for c := nChunks - 1; c >= 0; c-- {
			l0 := c * chunk
			l1 := min(l0+chunk, nl)
			h0 := tape.ckpt[(b*nChunks+c)*dn : (b*nChunks+c+1)*dn]
			// Recompute h_l and Ā_l inside the chunk.
			prev := h0
			for l := l0; l < l1; l++ {
				row := b*nl + l
				hl := ws.h[(l-l0)*dn : (l-l0+1)*dn]
				copy(hl, prev)
				al := ws.abar[(l-l0)*dn : (l-l0+1)*dn]
				scanStateStep(nd, nn, u[row*nd:(row+1)*nd], delta[row*nd:(row+1)*nd], A, Bm[row*ld:row*ld+nn], hl, al)
				prev = hl
			}
			for l := l1 - 1; l >= l0; l-- {
				row := b*nl + l
				hp := h0
				if l > l0 {
					hp = ws.h[(l-l0-1)*dn : (l-l0)*dn]
				}
				scanAdjointStep(nd, nn,
					u[row*nd:(row+1)*nd], delta[row*nd:(row+1)*nd], A,
					Bm[row*ld:row*ld+nn], Cm[row*ld:row*ld+nn], Dskip, gy[row*nd:(row+1)*nd],
					ws.h[(l-l0)*dn:(l-l0+1)*dn], hp, ws.abar[(l-l0)*dn:(l-l0+1)*dn], adj, ws.gbc,
					gu[row*nd:(row+1)*nd], gdelta[row*nd:(row+1)*nd], gAb, gDb)
				copy(gB[row*ld:row*ld+nn], ws.gbc[:nn])
				copy(gC[row*ld:row*ld+nn], ws.gbc[nn:2*nn])
			}
		}
	}
}

// ReduceTokenGrads adds the per-sequence partials of ScanTokensBackwardSeqs
// to gA (D, N) and gD (D), sequence 0 first.
func ReduceTokenGrads[T Float](tape *TokenTape[T], gA, gD []T) {
	nd, dn := tape.dims.Dim, tape.dims.Dim*tape.dims.State
	for b := 0; b < tape.dims.Batch; b++ {
		for i, v := range tape.gAb[b*dn : (b+1)*dn] {
			gA[i] += v
		}
		for i, v := range tape.gDb[b*nd : (b+1)*nd] {
			gD[i] += v
		}
	}
}

// scanStateStep: abar ← exp(Δ A), h ← abar ⊙ h + Δ B u (in place).
func scanStateStep[T Float](nd, nn int, u, delta, A, Bl, h, abar []T) {
	decays(nd, nn, delta, A, abar)
	Bl = Bl[:nn]
	if unsafe.Sizeof(Bl[0]) == 4 && haveScanRowKernels(nn) {
		checkRow(nd, nn, u, delta, delta, delta, h, abar)
		scanStateRowVec(nd, nn, p32(u), p32(delta), p32(abar), p32(h), p32(Bl))
		return
	}
	for d := 0; d < nd; d++ {
		du := delta[d] * u[d]
		hd := h[d*nn : (d+1)*nn]
		ad := abar[d*nn : (d+1)*nn]
		for n := range hd {
			hd[n] = ad[n]*hd[n] + du*Bl[n]
		}
	}
}

// scanAdjointStep processes position l of the adjoint recurrence. On entry g
// holds Ā_{l+1} ⊙ ∂h_{l+1}; on exit it holds Ā_l ⊙ ∂h_l. gbc receives
// (∂B_l, ∂C_l).
func scanAdjointStep[T Float](nd, nn int, u, delta, A, Bl, Cl, Dskip, gy, h, hp, abar, g, gbc, gu, gdelta, gA, gD []T) {
	Bl = Bl[:nn]
	Cl = Cl[:nn]
	gBl := gbc[:nn]
	gCl := gbc[nn : 2*nn]
	clear(gbc)
	if unsafe.Sizeof(Bl[0]) == 4 && haveScanRowKernels(nn) {
		checkRow(nd, nn, u, delta, Dskip, gy, h, hp, abar, g, gA, A)
		checkRow(nd, nn, gu, gdelta, gD, gD)
		scanAdjRowVec(nd, nn, p32(u), p32(delta), p32(A), p32(Bl), p32(Cl), p32(Dskip), p32(gy),
			p32(h), p32(hp), p32(abar), p32(g), p32(gA), p32(gbc), p32(gu), p32(gdelta), p32(gD))
		return
	}
	for d := 0; d < nd; d++ {
		dl := delta[d]
		ud := u[d]
		gyd := gy[d]
		du := dl * ud
		gd := g[d*nn : (d+1)*nn]
		hd := h[d*nn : (d+1)*nn][:len(gd)]
		hpd := hp[d*nn : (d+1)*nn][:len(gd)]
		ad := abar[d*nn : (d+1)*nn][:len(gd)]
		Ad := A[d*nn : (d+1)*nn][:len(gd)]
		gAd := gA[d*nn : (d+1)*nn][:len(gd)]
		var gdA, gbu T // Σ_n ∂Ā-term·A_n and Σ_n g_n B_n
		for n := range gd {
			gn := gd[n] + gyd*Cl[n] // ∂h_l
			gCl[n] += gyd * hd[n]
			ga := gn * ad[n] // carried to l−1, and ∂Ā_l/h_{l−1}
			t := ga * hpd[n]
			gdA += t * Ad[n]
			gAd[n] += t * dl
			gBl[n] += gn * du
			gbu += gn * Bl[n]
			gd[n] = ga
		}
		// ∂Δ = Σ_n t_n A_n + u Σ_n g_n B_n;  ∂u = Δ Σ_n g_n B_n + D ∂y.
		gdelta[d] = gdA + ud*gbu
		gu[d] = gbu*dl + Dskip[d]*gyd
		gD[d] += gyd * ud
	}
}
