package mamba

// This file holds the layout shared by every scan kernel: B and C are
// transposed once per batch element into contiguous (L, Np) rows (N padded to
// Np with zeros), so that the recurrence over one (b, d) row reads the state
// dimension contiguously and every channel d of a batch element reuses the
// same transposed copy.

// rowKernel is one implementation of the recurrence of a (b, d) row.
type rowKernel[E Float] struct {
	row   func(p *scanPlan[E], s *rowScratch[E], b, d int)
	padTo int // Np is N rounded up to a multiple of padTo
}

// scanPlan is the read-only state shared by all workers of one scan.
type scanPlan[E Float] struct {
	a   *ScanArgs[E]
	res *ScanResult[E]
	np  int // padded state size

	bt, ct []E // (Batch, L, Np) if VarB/VarC, else (D, Np)
	apad   []E // (D, Np); padding is 0 so exp(ΔA) = 1 on padded states

	row func(p *scanPlan[E], s *rowScratch[E], b, d int)
}

// rowScratch is the private workspace of one worker.
type rowScratch[E Float] struct {
	dt, dtu []E // (Lpad) Δ_l and Δ_l u_l of the current row, Lpad = L rounded up to 16
	h       []E // (Np) state of the current row
	a2      []E // (Np) A_d·log₂e for the kernels that compute 2^x
}

// bRow returns the transposed B for row (b, d) and its stride per position l
// (Np for an input-dependent B_l, 0 for a B shared by all positions).
func (p *scanPlan[E]) bRow(b, d int) ([]E, int) {
	if p.a.VarB {
		return p.bt[b*p.a.Len*p.np:], p.np
	}
	return p.bt[d*p.np:], 0
}

// cRow is bRow for C.
func (p *scanPlan[E]) cRow(b, d int) ([]E, int) {
	if p.a.VarC {
		return p.ct[b*p.a.Len*p.np:], p.np
	}
	return p.ct[d*p.np:], 0
}

// scanWorkspace is the memory a ScanResult keeps between calls of ScanInto.
type scanWorkspace[E Float] struct {
	buf  []E
	plan scanPlan[E]
	rows []rowScratch[E]
}

// preparePlan carves the workspace of res (growing it if needed), fills the
// transposed copies of B, C and A and returns the plan and one scratch per
// worker. With an unchanged shape it allocates nothing.
func preparePlan[E Float](res *ScanResult[E], a *ScanArgs[E], workers int, k rowKernel[E]) (*scanPlan[E], []rowScratch[E]) {
	nb, nd, nl, nn := a.Batch, a.Dim, a.Len, a.State
	np := roundUp(nn, k.padTo)
	lpad := roundUp(nl, 16) // the widest elementwise kernel writes 16 lanes
	bsize, csize := nd*np, nd*np
	if a.VarB {
		bsize = nb * nl * np
	}
	if a.VarC {
		csize = nb * nl * np
	}
	per := 2*lpad + 2*np
	if res.ws == nil {
		res.ws = new(scanWorkspace[E])
	}
	ws := res.ws
	ws.buf = resize(ws.buf, bsize+csize+nd*np+workers*per)
	buf := ws.buf
	p := &ws.plan
	*p = scanPlan[E]{a: a, res: res, np: np, row: k.row}
	p.bt, buf = buf[:bsize], buf[bsize:]
	p.ct, buf = buf[:csize], buf[csize:]
	p.apad, buf = buf[:nd*np], buf[nd*np:]
	transposeInto(p.bt, a.B, a.VarB, nb, nd, nl, nn, np)
	transposeInto(p.ct, a.C, a.VarC, nb, nd, nl, nn, np)
	padRows(p.apad, a.A, nd, nn, np)
	ws.rows = resize(ws.rows, workers)
	for w := range ws.rows {
		s := buf[w*per : (w+1)*per]
		ws.rows[w] = rowScratch[E]{dt: s[:lpad], dtu: s[lpad : 2*lpad], h: s[2*lpad : 2*lpad+np], a2: s[2*lpad+np:]}
	}
	return p, ws.rows
}

// release drops the references to the caller's tensors so that a kept
// ScanResult does not pin them.
func (p *scanPlan[E]) release() { p.a, p.res = nil, nil }

// transposeInto writes src (Batch, N, L) as dst (Batch, L, Np) when vary,
// else copies src (D, N) into dst (D, Np); padding entries are set to 0.
func transposeInto[E Float](dst, src []E, vary bool, nb, nd, nl, nn, np int) {
	if !vary {
		padRows(dst, src, nd, nn, np)
		return
	}
	for b := 0; b < nb; b++ {
		out := dst[b*nl*np : (b+1)*nl*np]
		for n := 0; n < nn; n++ {
			in := src[(b*nn+n)*nl : (b*nn+n+1)*nl]
			for l, v := range in {
				out[l*np+n] = v
			}
		}
		if np > nn {
			for l := 0; l < nl; l++ {
				clear(out[l*np+nn : (l+1)*np])
			}
		}
	}
}

// padRows copies src (rows, nn) into dst (rows, np), zero-filling columns
// nn..np-1.
func padRows[E Float](dst, src []E, rows, nn, np int) {
	for r := 0; r < rows; r++ {
		copy(dst[r*np:r*np+nn], src[r*nn:(r+1)*nn])
		clear(dst[r*np+nn : (r+1)*np])
	}
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }
