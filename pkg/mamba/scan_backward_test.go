package mamba

import (
	"fmt"
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// randScanArgs builds random reference-layout scan inputs.
func randScanArgs(seed uint64, nb, nd, nl, nn int, varB, varC, withD, withZ, withBias, softplus bool) *ScanArgs[float64] {
	rng := gradcheck.NewRNG(seed)
	a := &ScanArgs[float64]{Batch: nb, Dim: nd, Len: nl, State: nn, VarB: varB, VarC: varC, DeltaSoftplus: softplus}
	a.U = gradcheck.RandVec(rng, nb*nd*nl, 1)
	a.Delta = gradcheck.RandVec(rng, nb*nd*nl, 1)
	if !softplus {
		for i := range a.Delta {
			a.Delta[i] = 0.05 + 0.5*math.Abs(a.Delta[i])
		}
	}
	a.A = make([]float64, nd*nn)
	for i := range a.A {
		a.A[i] = -(0.2 + 2*rng.Float64())
	}
	if varB {
		a.B = gradcheck.RandVec(rng, nb*nn*nl, 1)
	} else {
		a.B = gradcheck.RandVec(rng, nd*nn, 1)
	}
	if varC {
		a.C = gradcheck.RandVec(rng, nb*nn*nl, 1)
	} else {
		a.C = gradcheck.RandVec(rng, nd*nn, 1)
	}
	if withD {
		a.D = gradcheck.RandVec(rng, nd, 1)
	}
	if withZ {
		a.Z = gradcheck.RandVec(rng, nb*nd*nl, 2)
	}
	if withBias {
		a.DeltaBias = gradcheck.RandVec(rng, nd, 0.5)
	}
	return a
}

func TestScanBackwardFiniteDifferences(t *testing.T) {
	for i, test := range []struct {
		varB, varC, withD, withZ, withBias, softplus bool
	}{
		{varB: true, varC: true, withD: true, withZ: true, withBias: true, softplus: true},
		{varB: true, varC: true, withD: false, withZ: false, withBias: false, softplus: false},
		{varB: false, varC: true, withD: true, withZ: false, withBias: true, softplus: true},
		{varB: true, varC: false, withD: true, withZ: true, withBias: false, softplus: true},
	} {
		name := fmt.Sprintf("case %d", i)
		a := randScanArgs(uint64(100+i), 2, 3, 5, 4, test.varB, test.varC, test.withD, test.withZ, test.withBias, test.softplus)
		r := gradcheck.RandVec(gradcheck.NewRNG(uint64(200+i)), 2*3*5, 1)
		f := func() float64 {
			res, err := ScanRef(a)
			if err != nil {
				t.Fatal(err)
			}
			return gradcheck.Dot(r, res.Y)
		}
		g, err := ScanBackward(a, r)
		if err != nil {
			t.Fatal(err)
		}
		gradcheck.Check(t, name+" u", a.U, g.DU, nil, f)
		gradcheck.Check(t, name+" delta", a.Delta, g.DDelta, nil, f)
		gradcheck.Check(t, name+" A", a.A, g.DA, nil, f)
		gradcheck.Check(t, name+" B", a.B, g.DB, nil, f)
		gradcheck.Check(t, name+" C", a.C, g.DC, nil, f)
		if a.D != nil {
			gradcheck.Check(t, name+" D", a.D, g.DD, nil, f)
		}
		if a.Z != nil {
			gradcheck.Check(t, name+" z", a.Z, g.DZ, nil, f)
		}
		if a.DeltaBias != nil {
			gradcheck.Check(t, name+" delta_bias", a.DeltaBias, g.DDeltaBias, nil, f)
		}
	}
	if _, err := ScanBackward(randScanArgs(1, 1, 2, 3, 2, true, true, false, false, false, false), make([]float64, 5)); err == nil {
		t.Errorf("dy of the wrong length: no error")
	}
}

// tokenScan holds token-major inputs equivalent to a reference ScanArgs
// (VarB, VarC, D, no Z, Δ already positive).
type tokenScan struct {
	dims                   tokenDims
	u, delta, a, bc, dskip []float64
}

func toTokens(a *ScanArgs[float64]) *tokenScan {
	nb, nd, nl, nn := a.Batch, a.Dim, a.Len, a.State
	ts := &tokenScan{dims: tokenDims{Batch: nb, Len: nl, Dim: nd, State: nn, LdBC: 2*nn + 1}}
	ts.u = make([]float64, nb*nl*nd)
	ts.delta = make([]float64, nb*nl*nd)
	ts.bc = make([]float64, nb*nl*(2*nn+1))
	for b := 0; b < nb; b++ {
		for l := 0; l < nl; l++ {
			for d := 0; d < nd; d++ {
				ts.u[(b*nl+l)*nd+d] = a.U[(b*nd+d)*nl+l]
				ts.delta[(b*nl+l)*nd+d] = a.Delta[(b*nd+d)*nl+l]
			}
			for n := 0; n < nn; n++ {
				// Column 0 is padding, B at 1..N, C at N+1..2N, as x_proj's (δ̃, B, C) rows.
				ts.bc[(b*nl+l)*(2*nn+1)+1+n] = a.B[(b*nn+n)*nl+l]
				ts.bc[(b*nl+l)*(2*nn+1)+1+nn+n] = a.C[(b*nn+n)*nl+l]
			}
		}
	}
	ts.a = a.A
	ts.dskip = a.D
	return ts
}

func TestScanTokensMatchesReference(t *testing.T) {
	for i, test := range []struct {
		nb, nd, nl, nn, chunk, workers int
	}{
		{nb: 3, nd: 4, nl: 11, nn: 3, chunk: 4, workers: 2},
		{nb: 1, nd: 5, nl: 7, nn: 2, chunk: 64, workers: 2},
		{nb: 4, nd: 2, nl: 9, nn: 5, chunk: 1, workers: 3},
		{nb: 2, nd: 3, nl: 8, nn: 4, chunk: 8, workers: 1},
	} {
		a := randScanArgs(uint64(300+i), test.nb, test.nd, test.nl, test.nn, true, true, true, false, false, false)
		ref, err := ScanRef(a)
		if err != nil {
			t.Fatal(err)
		}
		ts := toTokens(a)
		y := make([]float64, test.nb*test.nl*test.nd)
		tape := &TokenTape[float64]{chunk: test.chunk}
		tape.Reset(sizesOf[float64](ts.dims), test.workers)
		ScanTokens(fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[1+test.nn:], ts.dskip), y, test.workers, tape)
		for b := 0; b < test.nb; b++ {
			for d := 0; d < test.nd; d++ {
				for l := 0; l < test.nl; l++ {
					got, want := y[(b*test.nl+l)*test.nd+d], ref.Y[(b*test.nd+d)*test.nl+l]
					if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Fatalf("case %d: y[b=%d,l=%d,d=%d] = %v, reference %v", i, b, l, d, got, want)
					}
				}
			}
		}
		// Backward against the reference backward.
		gyRef := gradcheck.RandVec(gradcheck.NewRNG(uint64(400+i)), len(ref.Y), 1)
		g, err := ScanBackward(a, gyRef)
		if err != nil {
			t.Fatal(err)
		}
		gy := make([]float64, len(y))
		for b := 0; b < test.nb; b++ {
			for d := 0; d < test.nd; d++ {
				for l := 0; l < test.nl; l++ {
					gy[(b*test.nl+l)*test.nd+d] = gyRef[(b*test.nd+d)*test.nl+l]
				}
			}
		}
		gu := make([]float64, len(y))
		gdelta := make([]float64, len(y))
		gbc := make([]float64, len(ts.bc))
		gA := make([]float64, len(ts.a))
		gD := make([]float64, test.nd)
		ScanTokensBackward(test.workers, fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[1+test.nn:], ts.dskip), gy, backGrad(gu, gdelta, gbc[1:], gbc[1+test.nn:], gA, gD), tape)
		near := func(what string, got, want float64) {
			if math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
				t.Errorf("case %d: %s = %v, reference %v", i, what, got, want)
			}
		}
		for b := 0; b < test.nb; b++ {
			for l := 0; l < test.nl; l++ {
				for d := 0; d < test.nd; d++ {
					near("du", gu[(b*test.nl+l)*test.nd+d], g.DU[(b*test.nd+d)*test.nl+l])
					near("ddelta", gdelta[(b*test.nl+l)*test.nd+d], g.DDelta[(b*test.nd+d)*test.nl+l])
				}
				for n := 0; n < test.nn; n++ {
					near("dB", gbc[(b*test.nl+l)*(2*test.nn+1)+1+n], g.DB[(b*test.nn+n)*test.nl+l])
					near("dC", gbc[(b*test.nl+l)*(2*test.nn+1)+1+test.nn+n], g.DC[(b*test.nn+n)*test.nl+l])
				}
				if gbc[(b*test.nl+l)*(2*test.nn+1)] != 0 {
					t.Errorf("case %d: the backward wrote outside the B and C columns", i)
				}
			}
		}
		for j := range gA {
			near("dA", gA[j], g.DA[j])
		}
		for j := range gD {
			near("dD", gD[j], g.DD[j])
		}
	}
}

func TestScanTokensForwardWithoutTape(t *testing.T) {
	a := randScanArgs(7, 3, 4, 10, 3, true, true, true, false, false, false)
	ts := toTokens(a)
	y1 := make([]float64, 3*10*4)
	y2 := make([]float64, len(y1))
	ScanTokens(fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[4:], ts.dskip), y1, 2, nil)
	tape := &TokenTape[float64]{}
	tape.Reset(sizesOf[float64](ts.dims), 1)
	ScanTokens(fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[4:], ts.dskip), y2, 1, tape)
	for i := range y1 {
		if y1[i] != y2[i] {
			t.Fatalf("y[%d]: %v without tape on 2 workers, %v with tape on 1", i, y1[i], y2[i])
		}
	}
}

// TestScanTokensFloat32 runs the float32 training scan (the AVX2 row
// kernels when N is a multiple of 8 and the CPU has them, the Go loops
// otherwise) against the float64 one on the same inputs.
func TestScanTokensFloat32(t *testing.T) {
	for _, nn := range []int{16, 8, 24, 5} {
		const nb, nl, nd = 3, 70, 6
		a := randScanArgs(uint64(450+nn), nb, nd, nl, nn, true, true, true, false, false, false)
		ts := toTokens(a)
		ld := ts.dims.LdBC
		to32 := func(v []float64) []float32 { return gradcheck.F32(v) }
		y64 := make([]float64, nb*nl*nd)
		tape64 := &TokenTape[float64]{}
		tape64.Reset(sizesOf[float64](ts.dims), 2)
		ScanTokens(fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[1+nn:], ts.dskip), y64, 2, tape64)
		u32, d32, a32, bc32, ds32 := to32(ts.u), to32(ts.delta), to32(ts.a), to32(ts.bc), to32(ts.dskip)
		y32 := make([]float32, len(y64))
		tape32 := &TokenTape[float32]{}
		tape32.Reset(sizesOf[float32](ts.dims), 2)
		ScanTokens(fwdScan(ts.dims, u32, d32, a32, bc32[1:], bc32[1+nn:], ds32), y32, 2, tape32)
		near := func(what string, i int, got float32, want float64) {
			t.Helper()
			if math.Abs(float64(got)-want) > 2e-5*math.Max(1, math.Abs(want)) {
				t.Fatalf("N=%d: %s[%d] float32 %v, float64 %v", nn, what, i, got, want)
			}
		}
		for i := range y64 {
			near("y", i, y32[i], y64[i])
		}
		gy := gradcheck.RandVec(gradcheck.NewRNG(460), len(y64), 1)
		g64 := struct{ u, d, bc, a, dd []float64 }{make([]float64, len(y64)), make([]float64, len(y64)), make([]float64, len(ts.bc)), make([]float64, len(ts.a)), make([]float64, nd)}
		ScanTokensBackward(2, fwdScan(ts.dims, ts.u, ts.delta, ts.a, ts.bc[1:], ts.bc[1+nn:], ts.dskip), gy, backGrad(g64.u, g64.d, g64.bc[1:], g64.bc[1+nn:], g64.a, g64.dd), tape64)
		g32 := struct{ u, d, bc, a, dd []float32 }{make([]float32, len(y64)), make([]float32, len(y64)), make([]float32, len(ts.bc)), make([]float32, len(ts.a)), make([]float32, nd)}
		ScanTokensBackward(2, fwdScan(ts.dims, u32, d32, a32, bc32[1:], bc32[1+nn:], ds32), to32(gy), backGrad(g32.u, g32.d, g32.bc[1:], g32.bc[1+nn:], g32.a, g32.dd), tape32)
		for i := range g64.u {
			near("du", i, g32.u[i], g64.u[i])
			near("ddelta", i, g32.d[i], g64.d[i])
		}
		for i := range g64.bc {
			if i%ld == 0 && g32.bc[i] != 0 {
				t.Fatalf("N=%d: wrote outside B and C at %d", nn, i)
			}
			near("dB/dC", i, g32.bc[i], g64.bc[i])
		}
		for i := range g64.a {
			near("dA", i, g32.a[i], g64.a[i])
		}
		for i := range g64.dd {
			near("dD", i, g32.dd[i], g64.dd[i])
		}
	}
}

// TestScanTokensSeqsSplitGivesTheSameBits runs the float32 training scan
// (row kernels when available) and its backward one uneven range of
// sequences at a time, the ranges visited last-first on different worker
// scratches, and requires every output and the reduced ∂A, ∂D to be
// bit-identical to one whole-batch call on one worker.
func TestScanTokensSeqsSplitGivesTheSameBits(t *testing.T) {
	const nb, nl, nd, nn = 5, 37, 8, 16
	a := randScanArgs(901, nb, nd, nl, nn, true, true, true, false, false, false)
	ts := toTokens(a)
	u, dl, aa, bc, ds := gradcheck.F32(ts.u), gradcheck.F32(ts.delta), gradcheck.F32(ts.a), gradcheck.F32(ts.bc), gradcheck.F32(ts.dskip)
	gy := gradcheck.F32(gradcheck.RandVec(gradcheck.NewRNG(902), nb*nl*nd, 1))
	type out struct{ y, gu, gdelta, gbc, gA, gD []float32 }
	// One tape for both runs: the second must not see the first's partials.
	tape := &TokenTape[float32]{chunk: 16}
	run := func(ranges [][3]int) out {
		o := out{make([]float32, nb*nl*nd), make([]float32, nb*nl*nd), make([]float32, nb*nl*nd),
			make([]float32, len(bc)), make([]float32, nd*nn), make([]float32, nd)}
		tape.Reset(sizesOf[float32](ts.dims), 3)
		for _, r := range ranges {
			ScanTokensSeqs(tape, r[0], r[1], r[2], fwdScan(ts.dims, u, dl, aa, bc[1:], bc[1+nn:], ds), o.y)
		}
		for _, r := range ranges {
			ScanTokensBackwardSeqs(tape, r[0], r[1], r[2], fwdScan(ts.dims, u, dl, aa, bc[1:], bc[1+nn:], ds), gy, backGrad(o.gu, o.gdelta, o.gbc[1:], o.gbc[1+nn:], nil, nil))
		}
		ReduceTokenGrads(tape, o.gA, o.gD)
		return o
	}
	whole := run([][3]int{{0, 0, nb}})
	split := run([][3]int{{2, 4, 5}, {0, 0, 1}, {1, 1, 4}})
	for _, c := range []struct {
		what      string
		got, want []float32
	}{{"y", split.y, whole.y}, {"gu", split.gu, whole.gu}, {"gdelta", split.gdelta, whole.gdelta},
		{"gB,gC", split.gbc, whole.gbc}, {"gA", split.gA, whole.gA}, {"gD", split.gD, whole.gD}} {
		for i := range c.want {
			if math.Float32bits(c.got[i]) != math.Float32bits(c.want[i]) {
				t.Fatalf("%s[%d]: %v split, %v whole", c.what, i, c.got[i], c.want[i])
			}
		}
	}
	var nonzero bool
	for _, v := range whole.gA {
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Fatal("∂A is all zero: the comparison says nothing")
	}
	// ResetForward (no tape kept) gives the same forward.
	y := make([]float32, nb*nl*nd)
	ev := &TokenTape[float32]{}
	ev.ResetForward(sizesOf[float32](ts.dims), 1)
	ScanTokensSeqs(ev, 0, 0, nb, fwdScan(ts.dims, u, dl, aa, bc[1:], bc[1+nn:], ds), y)
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(whole.y[i]) {
			t.Fatalf("y[%d]: %v after ResetForward, %v after Reset", i, y[i], whole.y[i])
		}
	}
}

// fwdScan is the TokenMajor ScanArgs of the positional arrays, of sizes d.
func fwdScan[T Float](d tokenDims, u, delta, a, b, c, dskip []T) *ScanArgs[T] {
	return &ScanArgs[T]{Batch: d.Batch, Len: d.Len, Dim: d.Dim, State: d.State, Layout: TokenMajor, LdBC: d.LdBC,
		U: u, Delta: delta, A: a, B: b, C: c, VarB: true, VarC: true, D: dskip}
}

// sizesOf is fwdScan without arrays, for TokenTape.Reset.
func sizesOf[T Float](d tokenDims) *ScanArgs[T] { return fwdScan[T](d, nil, nil, nil, nil, nil, nil) }

// backGrad is the ScanGrad of the positional gradient arrays.
func backGrad[T Float](gu, gdelta, gb, gc, ga, gd []T) *ScanGrad[T] {
	return &ScanGrad[T]{DU: gu, DDelta: gdelta, DB: gb, DC: gc, DA: ga, DD: gd}
}
