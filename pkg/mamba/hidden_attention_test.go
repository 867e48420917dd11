package mamba

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Errors below are relative to the largest |entry| of the matrix or output
// compared (maxRelDiff).

func TestHiddenAttentionClosedFormMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for i := 0; i < 40; i++ {
		shape := randomScanShape(rng, 40)
		a := randomScanArgs[float64](rng, shape)
		b, d := rng.IntN(a.Batch), rng.IntN(a.Dim)
		closed, err := HiddenAttention(a, b, d)
		if err != nil {
			t.Fatal(err)
		}
		byScan, err := HiddenAttentionByScan(a, b, d)
		if err != nil {
			t.Fatal(err)
		}
		if e := maxRelDiff(closed, byScan); !(e <= 1e-12) {
			t.Errorf("case %d %+v b=%d d=%d: closed form and impulse scans differ by %.3g", i, shape, b, d, e)
		}
	}
}

// TestHiddenAttentionReproducesScan: y = (P^d u + D_d u)·SiLU(z) for every
// batch element and channel, against both Scan and ScanRef.
func TestHiddenAttentionReproducesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for i := 0; i < 40; i++ {
		shape := randomScanShape(rng, 40)
		a := randomScanArgs[float64](rng, shape)
		ref, err := ScanRef(a)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := Scan(a, 1)
		if err != nil {
			t.Fatal(err)
		}
		nl := a.Len
		for b := 0; b < a.Batch; b++ {
			all, err := HiddenAttentionAll(a, b)
			if err != nil {
				t.Fatal(err)
			}
			for d := 0; d < a.Dim; d++ {
				p := all[d*nl*nl : (d+1)*nl*nl]
				i0 := (b*a.Dim + d) * nl
				u := a.U[i0 : i0+nl]
				y := make([]float64, nl)
				for l := range y {
					for j := 0; j <= l; j++ {
						y[l] += p[l*nl+j] * u[j]
					}
					if a.D != nil {
						y[l] += a.D[d] * u[l]
					}
					if a.Z != nil {
						y[l] *= SiLU(a.Z[i0+l])
					}
				}
				for _, c := range []struct {
					name string
					y    []float64
				}{{"ScanRef", ref.Y[i0 : i0+nl]}, {"Scan", fast.Y[i0 : i0+nl]}} {
					if e := maxRelDiff(y, c.y); !(e <= 1e-12) {
						t.Errorf("case %d %+v b=%d d=%d: P u differs from %s by %.3g", i, shape, b, d, c.name, e)
					}
				}
			}
		}
	}
}

// TestHiddenAttentionStructure: causal (P_lj = 0 for j > l) and diagonal
// P_ll = Δ_l C_lᵀ B_l.
func TestHiddenAttentionStructure(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := 0; i < 30; i++ {
		shape := randomScanShape(rng, 30)
		a := randomScanArgs[float64](rng, shape)
		b, d := rng.IntN(a.Batch), rng.IntN(a.Dim)
		p, err := HiddenAttention(a, b, d)
		if err != nil {
			t.Fatal(err)
		}
		nl := a.Len
		i0 := (b*a.Dim + d) * nl
		for l := 0; l < nl; l++ {
			for j := l + 1; j < nl; j++ {
				if p[l*nl+j] != 0 {
					t.Fatalf("case %d: P[%d,%d] = %v above the diagonal", i, l, j, p[l*nl+j])
				}
			}
			dt := a.Delta[i0+l]
			if a.DeltaBias != nil {
				dt += a.DeltaBias[d]
			}
			if a.DeltaSoftplus {
				dt = Softplus(dt)
			}
			var cb float64
			for n := 0; n < a.State; n++ {
				cb += a.cAt(b, d, n, l) * a.bAt(b, d, n, l)
			}
			if want := dt * cb; math.Abs(p[l*nl+l]-want) > 1e-13*(math.Abs(want)+1) {
				t.Errorf("case %d: P[%d,%d] = %v, want Δ C·B = %v", i, l, l, p[l*nl+l], want)
			}
		}
	}
}

func TestHiddenAttentionFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	shape := scanTestShape{batch: 2, dim: 3, length: 20, state: 16, varB: true, varC: true, skip: true, bias: true, softplus: true}
	a := randomScanArgs[float32](rng, shape)
	p, err := HiddenAttention(a, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	q, err := HiddenAttentionByScan(a, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if e := maxRelDiff(p, q); !(e <= 1e-6) {
		t.Errorf("float32: closed form and impulse scans differ by %.3g", e)
	}
}

func TestHiddenAttentionRejectsBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	a := randomScanArgs[float64](rng, scanTestShape{batch: 2, dim: 3, length: 4, state: 2, varB: true, varC: true})
	for i, test := range []struct {
		b, d int
		want string
	}{
		{-1, 0, "batch element -1 out of range [0, 2)"},
		{2, 0, "batch element 2"},
		{0, 3, "channel 3 out of range [0, 3)"},
	} {
		_, err1 := HiddenAttention(a, test.b, test.d)
		_, err2 := HiddenAttentionByScan(a, test.b, test.d)
		for _, err := range []error{err1, err2} {
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Errorf("case %d: error %v, want %q", i, err, test.want)
			}
		}
	}
	if _, err := HiddenAttentionAll(a, 5); err == nil {
		t.Errorf("HiddenAttentionAll accepted batch element 5")
	}
	bad := *a
	bad.A = []float64{-1, 1, -1, -1, -1, -1}
	if _, err := HiddenAttention(&bad, 0, 0); err == nil || !strings.Contains(err.Error(), "A[0,1]") {
		t.Errorf("positive A: error %v", err)
	}
}

func ExampleHiddenAttention() {
	// One channel, one state: Δ = 1, A = -ln 2, B = C = 1, so
	// P_lj = 2^{-(l-j)} for j ≤ l.
	a := &ScanArgs[float64]{
		Batch: 1, Dim: 1, Len: 3, State: 1,
		U:     make([]float64, 3),
		Delta: []float64{1, 1, 1},
		A:     []float64{-math.Ln2},
		B:     []float64{1},
		C:     []float64{1},
	}
	p, err := HiddenAttention(a, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for l := 0; l < 3; l++ {
		fmt.Printf("%.3g\n", p[l*3:l*3+3])
	}
	// Output:
	// [1 0 0]
	// [0.5 1 0]
	// [0.25 0.5 1]
}
