//go:build !purego

package mamba

import (
	"math"
	"unsafe"

	"github.com/tokendyn/tokendyn/internal/kernels"
)

// Assembly kernels: scan_amd64.s (AVX2+FMA, 8 lanes) and
// scan_avx512_amd64.s (AVX-512F, 16 lanes). Pointers must address at least
// the documented number of elements; n is a multiple of the lane count for
// the elementwise kernels (exp, prep, gate). The row kernels scan16* and
// scan8* take one block of 16 or 8 states of a row through all n positions.

//go:noescape
func expAVX2(dst, src *float32, n int)

//go:noescape
func prepAVX2(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)

//go:noescape
func gateAVX2(y, u, z *float32, n int, dskip float32, hasD bool)

//go:noescape
func scan16AVX2(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool)

//go:noescape
func scan8AVX2(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool)

//go:noescape
func expAVX512(dst, src *float32, n int)

//go:noescape
func exp2AVX512(dst, src *float32, n int)

//go:noescape
func prepAVX512(dt, dtu, delta, u *float32, n int, bias float32, softplus bool)

//go:noescape
func gateAVX512(y, u, z *float32, n int, dskip float32, hasD bool)

//go:noescape
func scan16AVX512(y, dt, dtu, a, bp *float32, bstride int, cp *float32, cstride int, h *float32, n int, add bool, pf0, pf1, pf2 uintptr)

// log2e32 is log₂e in float32: scan16AVX512 takes A·log₂e.
const log2e32 float32 = math.Log2E

// hasAVX512 reports whether the AVX-512 kernels run: the CPU and the OS
// support them and TOKENDYN_KERNELS does not ask for a narrower path
// (internal/kernels). The AVX2 kernels are used next to them.
func hasAVX512() bool { return kernels.Path() == kernels.AVX512 }

// hasAVX2 reports whether the AVX2+FMA kernels run (as hasAVX512).
func hasAVX2() bool { return kernels.Path() >= kernels.AVX2 }

// rowKernel32 picks the float32 row kernel: the AVX2 one when the CPU has it
// and kind allows it, the portable one otherwise.
func rowKernel32(kind kernelKind) rowKernel[float32] {
	switch {
	case kind == kernelAuto && hasAVX512(), kind == kernelAVX512:
		return rowKernel[float32]{row: rowAVX512, padTo: 8}
	case kind == kernelAuto && hasAVX2(), kind == kernelAVX2:
		return rowKernel[float32]{row: rowAVX2, padTo: 8}
	}
	return rowKernel[float32]{row: rowGeneric32, padTo: 1}
}

// kernelName32 names the float32 row kernel that kind selects.
func kernelName32(kind kernelKind) string {
	switch {
	case kind == kernelAuto && hasAVX512(), kind == kernelAVX512:
		return "avx512"
	case kind == kernelAuto && hasAVX2(), kind == kernelAVX2:
		return "avx2+fma"
	}
	return "go"
}

// rowAVX512 is rowAVX2 with the AVX-512 kernel for the 16-state blocks.
func rowAVX512(p *scanPlan[float32], s *rowScratch[float32], b, d int) {
	rowAsm(p, s, b, d, true)
}

// rowAVX2 runs row (b, d) with the AVX2 kernels: Δ and Δu for the whole row,
// then the recurrence block of 16 (or 8) states at a time, then skip and gate.
func rowAVX2(p *scanPlan[float32], s *rowScratch[float32], b, d int) {
	rowAsm(p, s, b, d, false)
}

// rowAsm is the body of rowAVX2 and rowAVX512.
func rowAsm(p *scanPlan[float32], s *rowScratch[float32], b, d int, avx512 bool) {
	a := p.a
	nl, np := a.Len, p.np
	i0 := (b*a.Dim + d) * nl
	u, delta, y := a.U[i0:i0+nl], a.Delta[i0:i0+nl], p.res.Y[i0:i0+nl]
	var bias float32
	if a.DeltaBias != nil {
		bias = a.DeltaBias[d]
	}
	if avx512 {
		prepRowAVX512(s.dt, s.dtu, delta, u, bias, a.DeltaSoftplus)
	} else {
		prepRowAVX2(s.dt, s.dtu, delta, u, bias, a.DeltaSoftplus)
	}
	h := s.h[:np]
	clear(h)
	ar := p.apad[d*np : (d+1)*np]
	bt, bs := p.bRow(b, d)
	ct, cs := p.cRow(b, d)
	for k := 0; k < np; {
		if np-k >= 16 && avx512 {
			a2 := s.a2[k : k+16]
			for i, v := range ar[k : k+16] {
				a2[i] = v * log2e32
			}
			pf0, pf1, pf2 := nextRowAddrs(delta, u, a.Z, i0, k == 0)
			scan16AVX512(&y[0], &s.dt[0], &s.dtu[0], &a2[0], &bt[k], bs, &ct[k], cs, &h[k], nl, k > 0, pf0, pf1, pf2)
			k += 16
		} else if np-k >= 16 {
			scan16AVX2(&y[0], &s.dt[0], &s.dtu[0], &ar[k], &bt[k], bs, &ct[k], cs, &h[k], nl, k > 0)
			k += 16
		} else {
			scan8AVX2(&y[0], &s.dt[0], &s.dtu[0], &ar[k], &bt[k], bs, &ct[k], cs, &h[k], nl, k > 0)
			k += 8
		}
	}
	copy(p.res.LastState[(b*a.Dim+d)*a.State:], h[:a.State])
	if a.Z != nil {
		var dd float32
		if a.D != nil {
			dd = a.D[d]
		}
		if avx512 {
			gateRowAVX512(y, u, a.Z[i0:i0+nl], dd, a.D != nil)
		} else {
			gateRowAVX2(y, u, a.Z[i0:i0+nl], dd, a.D != nil)
		}
	} else {
		finishRow(y, u, nil, i0, a.D, d)
	}
}

// prepRowAVX2 fills dt[:len(delta)] with Δ and dtu with Δ·u; dt and dtu have
// room for len(delta) rounded up to 8.
func prepRowAVX2(dt, dtu, delta, u []float32, bias float32, softplus bool) {
	n := len(delta)
	head := n &^ 7
	if head > 0 {
		prepAVX2(&dt[0], &dtu[0], &delta[0], &u[0], head, bias, softplus)
	}
	if head < n {
		var td, tu [8]float32
		copy(td[:], delta[head:])
		copy(tu[:], u[head:])
		prepAVX2(&dt[head], &dtu[head], &td[0], &tu[0], 8, bias, softplus)
	}
}

// gateRowAVX2 applies y = (y + dskip·u)·SiLU(z) to a row of any length.
func gateRowAVX2(y, u, z []float32, dskip float32, hasD bool) {
	n := len(y)
	head := n &^ 7
	if head > 0 {
		gateAVX2(&y[0], &u[0], &z[0], head, dskip, hasD)
	}
	if head < n {
		var ty, tu, tz [8]float32
		copy(ty[:], y[head:])
		copy(tu[:], u[head:])
		copy(tz[:], z[head:])
		gateAVX2(&ty[0], &tu[0], &tz[0], 8, dskip, hasD)
		copy(y[head:], ty[:])
	}
}

// prepRowAVX512 is prepRowAVX2 with 16 lanes; dt and dtu have room for
// len(delta) rounded up to 16.
func prepRowAVX512(dt, dtu, delta, u []float32, bias float32, softplus bool) {
	n := len(delta)
	head := n &^ 15
	if head > 0 {
		prepAVX512(&dt[0], &dtu[0], &delta[0], &u[0], head, bias, softplus)
	}
	if head < n {
		var td, tu [16]float32
		copy(td[:], delta[head:])
		copy(tu[:], u[head:])
		prepAVX512(&dt[head], &dtu[head], &td[0], &tu[0], 16, bias, softplus)
	}
}

// gateRowAVX512 is gateRowAVX2 with 16 lanes.
func gateRowAVX512(y, u, z []float32, dskip float32, hasD bool) {
	n := len(y)
	head := n &^ 15
	if head > 0 {
		gateAVX512(&y[0], &u[0], &z[0], head, dskip, hasD)
	}
	if head < n {
		var ty, tu, tz [16]float32
		copy(ty[:], y[head:])
		copy(tu[:], u[head:])
		copy(tz[:], z[head:])
		gateAVX512(&ty[0], &tu[0], &tz[0], 16, dskip, hasD)
		copy(y[head:], ty[:])
	}
}

// nextRowAddrs returns the addresses where the next row's delta, u and z
// start (just past the current row's) for the kernel to prefetch, or the
// current row's own, already cached, addresses when next is false. They are
// plain numbers: the kernel only prefetches them, which never faults, so
// they may point past the end of the tensors.
func nextRowAddrs(delta, u, z []float32, i0 int, next bool) (uintptr, uintptr, uintptr) {
	step := uintptr(0)
	if next {
		step = uintptr(len(delta)) * 4
	}
	p0 := uintptr(unsafe.Pointer(&delta[0])) + step
	p1 := uintptr(unsafe.Pointer(&u[0])) + step
	p2 := p1
	if z != nil {
		p2 = uintptr(unsafe.Pointer(&z[i0])) + step
	}
	return p0, p1, p2
}
