package mamba

import (
	"sync"
	"unsafe"
)

// The selective scan as the models run it: token-major layout, forward and
// backward, parallel over batch elements.
//
// Layout (rows are tokens, M = Bt·L rows, b-major):
//
//	u, Δ   (Bt, L, D)   contiguous, Δ already positive (softplus done by the caller)
//	A      (D, N)       negative
//	B, C   (Bt, L, N)   rows of stride ldbc (columns of x_proj's output)
//	Dskip  (D)
//	y      (Bt, L, D)   y_l = C_lᵀ h_l + Dskip ⊙ u_l  (no gate: the caller applies it)
//
// Memory for the backward: instead of materialising every state h_l
// ((Bt, L, D, N) numbers), the training forward stores h only at the start
// of each chunk of scanChunk positions ((Bt, ⌈L/scanChunk⌉, D, N) numbers).
// The backward recomputes Ā_l and h_l inside one chunk at a time (2·scanChunk·D·N
// numbers per worker) and runs the adjoint recurrence through it. Each
// exponential exp(Δ A) is therefore computed twice per training step.

// scanChunk is the number of positions between stored states.
const scanChunk = 64

// scanDims are the sizes of one scan call.
type scanDims struct {
	nb, nl, nd, nn int
	ldbc           int // row stride of B and C
}

// scanTape is what the training forward keeps for the backward, plus
// per-worker scratch; it is reused across steps of the same shape.
type scanTape[T Float] struct {
	dims  scanDims
	ckpt  []T // (Bt, nChunks, D, N): h at the start of each chunk
	chunk int
	work  []scanScratch[T] // one per worker
	gAb   []T              // (Bt, D, N) per-batch ∂A, reduced in batch order
	gDb   []T              // (Bt, D)
}

type scanScratch[T Float] struct {
	h, abar []T // (chunk, D, N) recomputed states and decays
	g       []T // (D, N) adjoint carried between positions
	gbc     []T // (2N) ∂B_l, ∂C_l accumulators
}

func (t *scanTape[T]) nChunks() int { return (t.dims.nl + t.chunk - 1) / t.chunk }

// reset sizes the tape for dims and workers, reusing memory when possible.
func (t *scanTape[T]) reset(dims scanDims, workers int) {
	t.dims = dims
	if t.chunk == 0 {
		t.chunk = scanChunk
	}
	dn := dims.nd * dims.nn
	t.ckpt = grow(t.ckpt, dims.nb*t.nChunks()*dn)
	t.gAb = grow(t.gAb, dims.nb*dn)
	t.gDb = grow(t.gDb, dims.nb*dims.nd)
	if len(t.work) < workers {
		t.work = append(t.work, make([]scanScratch[T], workers-len(t.work))...)
	}
	for i := range t.work {
		w := &t.work[i]
		w.h = grow(w.h, t.chunk*dn)
		w.abar = grow(w.abar, t.chunk*dn)
		w.g = grow(w.g, dn)
		w.gbc = grow(w.gbc, 2*dims.nn)
	}
}

// grow returns s resized to n elements, reallocating only when too small.
// The contents are unspecified.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// parallelBatches runs f(worker, b0, b1) over a static partition of [0, nb)
// into at most workers contiguous ranges. The partition depends only on nb
// and workers, so results are deterministic.
func parallelBatches(nb, workers int, f func(w, b0, b1 int)) {
	if workers > nb {
		workers = nb
	}
	if workers <= 1 {
		f(0, 0, nb)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		b0, b1 := w*nb/workers, (w+1)*nb/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, b0, b1)
		}()
	}
	wg.Wait()
}

// scanTokensForward runs the scan; when tape is non-nil it also stores the
// chunk-start states for scanTokensBackward (tape must have been reset for
// dims and at least `workers` workers).
func scanTokensForward[T Float](dims scanDims, workers int, u, delta, A, Bm, Cm, Dskip, y []T, tape *scanTape[T]) {
	nl, nd, nn, ld := dims.nl, dims.nd, dims.nn, dims.ldbc
	dn := nd * nn
	chunk := scanChunk
	if tape != nil {
		chunk = tape.chunk
	}
	nChunks := (nl + chunk - 1) / chunk
	var scratch [][]T
	if tape == nil {
		scratch = make([][]T, min(workers, dims.nb))
		for i := range scratch {
			scratch[i] = make([]T, 2*dn)
		}
	}
	parallelBatches(dims.nb, workers, func(w, b0, b1 int) {
		var h, abar []T
		if tape != nil {
			// The adjoint and chunk buffers are free during the forward.
			h, abar = tape.work[w].g, tape.work[w].abar[:dn]
		} else {
			h, abar = scratch[w][:dn], scratch[w][dn:]
		}
		for b := b0; b < b1; b++ {
			clear(h)
			for l := 0; l < nl; l++ {
				if tape != nil && l%chunk == 0 {
					copy(tape.ckpt[(b*nChunks+l/chunk)*dn:(b*nChunks+l/chunk+1)*dn], h)
				}
				row := b*nl + l
				scanStep(nd, nn, u[row*nd:(row+1)*nd], delta[row*nd:(row+1)*nd], A,
					Bm[row*ld:row*ld+nn], Cm[row*ld:row*ld+nn], Dskip, h, abar, y[row*nd:(row+1)*nd])
			}
		}
	})
}

// scanStep advances the state h (D, N) by one position and writes y (D).
// abar (D, N) is scratch; it receives exp(Δ A).
func scanStep[T Float](nd, nn int, u, delta, A, Bl, Cl, Dskip, h, abar, y []T) {
	decays(nd, nn, delta, A, abar)
	Bl = Bl[:nn]
	Cl = Cl[:nn]
	if unsafe.Sizeof(Bl[0]) == 4 && haveScanRowKernels(nn) {
		checkRow(nd, nn, u, delta, Dskip, y, h, abar)
		scanRowAVX2(nd, nn, p32(u), p32(delta), p32(abar), p32(h), p32(Bl), p32(Cl), p32(Dskip), p32(y))
		return
	}
	for d := 0; d < nd; d++ {
		du := delta[d] * u[d]
		hd := h[d*nn : (d+1)*nn]
		ad := abar[d*nn : (d+1)*nn]
		var acc T
		for n := range hd {
			hn := ad[n]*hd[n] + du*Bl[n]
			hd[n] = hn
			acc += Cl[n] * hn
		}
		y[d] = acc + Dskip[d]*u[d]
	}
}

// decays sets abar[d,n] = exp(Δ_d A[d,n]) for one position, with one
// vectorized exponential over the D·N values.
func decays[T Float](nd, nn int, delta, A, abar []T) {
	abar = abar[:nd*nn]
	if unsafe.Sizeof(abar[0]) == 4 && haveScanRowKernels(nn) {
		_, _ = delta[nd-1], A[nd*nn-1]
		scaleRowsAVX2(nd, nn, p32(delta), p32(A), p32(abar))
		expInto(abar, abar)
		return
	}
	for d := 0; d < nd; d++ {
		dl := delta[d]
		ad := abar[d*nn : (d+1)*nn]
		for n, a := range A[d*nn : (d+1)*nn] {
			ad[n] = dl * a
		}
	}
	expInto(abar, abar)
}

// scanTokensBackward is the adjoint of scanTokensForward (same recurrences as
// ScanBackward). Given gy (Bt, L, D) it writes
//
//	gu, gdelta  (Bt, L, D)   overwritten
//	gB, gC      (Bt, L, N)   rows of stride ldbc, overwritten
//	gA          (D, N)       accumulated
//	gD          (D)          accumulated
//
// The inputs must be those of the forward that filled tape.
func scanTokensBackward[T Float](workers int, u, delta, A, Bm, Cm, Dskip, gy []T, tape *scanTape[T],
	gu, gdelta, gB, gC, gA, gD []T) {
	dims := tape.dims
	nl, nd, nn, ld := dims.nl, dims.nd, dims.nn, dims.ldbc
	dn := nd * nn
	chunk := tape.chunk
	nChunks := tape.nChunks()
	clear(tape.gAb)
	clear(tape.gDb)
	parallelBatches(dims.nb, workers, func(w, b0, b1 int) {
		ws := &tape.work[w]
		for b := b0; b < b1; b++ {
			gAb := tape.gAb[b*dn : (b+1)*dn]
			gDb := tape.gDb[b*nd : (b+1)*nd]
			g := ws.g
			clear(g)
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
						ws.h[(l-l0)*dn:(l-l0+1)*dn], hp, ws.abar[(l-l0)*dn:(l-l0+1)*dn], g, ws.gbc,
						gu[row*nd:(row+1)*nd], gdelta[row*nd:(row+1)*nd], gAb, gDb)
					copy(gB[row*ld:row*ld+nn], ws.gbc[:nn])
					copy(gC[row*ld:row*ld+nn], ws.gbc[nn:2*nn])
				}
			}
		}
	})
	for b := 0; b < dims.nb; b++ {
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
		scanStateRowAVX2(nd, nn, p32(u), p32(delta), p32(abar), p32(h), p32(Bl))
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
		scanAdjRowAVX2(nd, nn, p32(u), p32(delta), p32(A), p32(Bl), p32(Cl), p32(Dskip), p32(gy),
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

// p32 is the address of a float32 slice's first element, for the assembly
// kernels (only called when T is 4 bytes wide, i.e. float32).
func p32[T Float](s []T) *float32 { return (*float32)(unsafe.Pointer(unsafe.SliceData(s))) }

// checkRow panics (an internal invariant, not an input error) unless the
// four (D) vectors have at least nd elements and the (D, N) blocks nd·nn,
// so that the assembly kernels stay inside the slices.
func checkRow[T Float](nd, nn int, d0, d1, d2, d3 []T, blocks ...[]T) {
	_, _, _, _ = d0[nd-1], d1[nd-1], d2[nd-1], d3[nd-1]
	for _, b := range blocks {
		_ = b[nd*nn-1]
	}
}
