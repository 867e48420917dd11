package mamba

import (
	"unsafe"

	"github.com/tokendyn/tokendyn/internal/parallel"
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

// tokenDims are the sizes of the token-major scan a tape was Reset for:
// Batch sequences of Len tokens, Dim channels (d_inner), State = N, and
// LdBC the row stride of the B and C arrays (they are usually columns of
// x_proj's output, so LdBC = dt_rank + 2N).
type tokenDims struct {
	Batch, Len, Dim, State int
	LdBC                   int
}

// TokenTape is what the training forward ScanTokens keeps for
// ScanTokensBackward (h at the start of every chunk of scanChunk positions),
// plus per-worker scratch. It is reused across steps of the same shape; its
// zero value is ready for Reset.
type TokenTape[T Float] struct {
	dims  tokenDims
	ckpt  []T // (Bt, nChunks, D, N): h at the start of each chunk
	chunk int
	train bool             // Reset (ckpt kept) rather than ResetForward
	work  []scanScratch[T] // one per worker
	gAb   []T              // (Bt, D, N) per-batch ∂A, reduced in batch order
	gDb   []T              // (Bt, D)
}

type scanScratch[T Float] struct {
	h, abar []T // (chunk, D, N) recomputed states and decays
	g       []T // (D, N) adjoint carried between positions
	gbc     []T // (2N) ∂B_l, ∂C_l accumulators
}

func (t *TokenTape[T]) nChunks() int { return (t.dims.Len + t.chunk - 1) / t.chunk }

// Reset sizes the tape for a training forward of the token-major scan a (its
// sizes; the arrays are not read) on up to workers workers (chunk-start
// states kept for the backward), reusing memory when possible.
func (t *TokenTape[T]) Reset(a *ScanArgs[T], workers int) {
	t.ResetForward(a, workers)
	t.train = true
	t.sizeWork(workers, t.chunk)
	dims := t.dims
	dn := dims.Dim * dims.State
	t.ckpt = grow(t.ckpt, dims.Batch*t.nChunks()*dn)
	t.gAb = grow(t.gAb, dims.Batch*dn)
	t.gDb = grow(t.gDb, dims.Batch*dims.Dim)
}

// ResetForward sizes only the per-worker scratch, for a forward of a's sizes
// that keeps nothing for a backward (evaluation); ScanTokensBackward must not
// follow.
func (t *TokenTape[T]) ResetForward(a *ScanArgs[T], workers int) {
	t.dims = tokenDims{Batch: a.Batch, Len: a.Len, Dim: a.Dim, State: a.State, LdBC: a.ldBC()}
	t.train = false
	if t.chunk == 0 {
		t.chunk = scanChunk
	}
	t.sizeWork(workers, 1)
}

// sizeWork gives each of at least workers scratches room for span positions
// of states and decays.
func (t *TokenTape[T]) sizeWork(workers, span int) {
	dn := t.dims.Dim * t.dims.State
	if len(t.work) < workers {
		t.work = append(t.work, make([]scanScratch[T], workers-len(t.work))...)
	}
	for i := range t.work {
		w := &t.work[i]
		w.h = grow(w.h, span*dn)
		w.abar = grow(w.abar, span*dn)
		w.g = grow(w.g, dn)
		w.gbc = grow(w.gbc, 2*t.dims.State)
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

// ScanTokens runs the selective scan on a in the TokenMajor layout
// (scan_tokens_args.go: U, Delta (Bt, L, D), A (D, N), B, C (Bt, L, N) of
// stride LdBC, D (D)) and writes y (Bt, L, D), parallel over batch elements
// on at most workers goroutines:
//
//	y_l = C_lᵀ h_l + D ⊙ u_l,  h_l = exp(Δ_l A) ⊙ h_{l−1} + Δ_l B_l u_l
//
// a must pass ValidateTokens(y, nil); this hot path does not check it. When
// tape is non-nil it also stores the chunk-start states for
// ScanTokensBackward (tape must have been Reset for a and at least workers
// workers). The result does not depend on workers.
func ScanTokens[T Float](a *ScanArgs[T], y []T, workers int, tape *TokenTape[T]) {
	if tape == nil {
		tape = new(TokenTape[T])
		tape.ResetForward(a, min(max(workers, 1), max(a.Batch, 1)))
	}
	parallel.Ranges(a.Batch, workers, func(w, b0, b1 int) {
		ScanTokensSeqs(tape, w, b0, b1, a, y)
	})
}

// ScanTokensSeqs is ScanTokens on the sequences [b0, b1) only, on the
// calling goroutine with worker w's scratch of tape (Reset or ResetForward
// for the whole batch and more than w workers); shapes as ScanTokens for the
// whole batch, rows outside [b0, b1) untouched. It lets a caller run the
// scan inside its own pass over batch ranges. Each sequence's arithmetic is
// that of ScanTokens, so any split of the batch gives the same bits. After
// Reset it stores the sequences' chunk-start states for the backward; after
// ResetForward it stores nothing.
func ScanTokensSeqs[T Float](tape *TokenTape[T], w, b0, b1 int, a *ScanArgs[T], y []T) {
	u, delta, A, Bm, Cm, Dskip := a.U, a.Delta, a.A, a.B, a.C, a.D
	dims := tape.dims
	nl, nd, nn, ld := dims.Len, dims.Dim, dims.State, dims.LdBC
	dn := nd * nn
	chunk := tape.chunk
	nChunks := tape.nChunks()
	keep := tape.train
	// The adjoint and chunk buffers are free during the forward.
	h, abar := tape.work[w].g, tape.work[w].abar[:dn]
	for b := b0; b < b1; b++ {
		clear(h)
		for l := 0; l < nl; l++ {
			if keep && l%chunk == 0 {
				copy(tape.ckpt[(b*nChunks+l/chunk)*dn:(b*nChunks+l/chunk+1)*dn], h)
			}
			row := b*nl + l
			scanStep(nd, nn, u[row*nd:(row+1)*nd], delta[row*nd:(row+1)*nd], A,
				Bm[row*ld:row*ld+nn], Cm[row*ld:row*ld+nn], Dskip, h, abar, y[row*nd:(row+1)*nd])
		}
	}
}

// scanStep advances the state h (D, N) by one position and writes y (D).
// abar (D, N) is scratch; it receives exp(Δ A).
func scanStep[T Float](nd, nn int, u, delta, A, Bl, Cl, Dskip, h, abar, y []T) {
	decays(nd, nn, delta, A, abar)
	Bl = Bl[:nn]
	Cl = Cl[:nn]
	if unsafe.Sizeof(Bl[0]) == 4 && haveScanRowKernels(nn) {
		checkRow(nd, nn, u, delta, Dskip, y, h, abar)
		scanRowVec(nd, nn, p32(u), p32(delta), p32(abar), p32(h), p32(Bl), p32(Cl), p32(Dskip), p32(y))
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

// decays sets abar[d,n] = exp(Δ_d A[d,n]) for one position, in one vector
// pass (expRowsAVX2) or as products followed by one vectorized exponential.
func decays[T Float](nd, nn int, delta, A, abar []T) {
	abar = abar[:nd*nn]
	if unsafe.Sizeof(abar[0]) == 4 && haveScanRowKernels(nn) {
		_, _ = delta[nd-1], A[nd*nn-1]
		expRowsVec(nd, nn, p32(delta), p32(A), p32(abar))
		return
	}
	for d := 0; d < nd; d++ {
		dl := delta[d]
		ad := abar[d*nn : (d+1)*nn]
		for n, a := range A[d*nn : (d+1)*nn] {
			ad[n] = dl * a
		}
	}
	ExpInto(abar, abar)
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
