package mamba

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Error metric of every comparison in this file: maxRelDiff, the largest
// absolute difference divided by the largest |reference| of that output
// (Y or LastState separately).

// scanKernels lists the implementations every test runs: the automatic
// choice, the forced portable one and each assembly kernel the CPU supports.
var scanKernels = append([]struct {
	name string
	kind kernelKind
}{{"auto", kernelAuto}, {"generic", kernelGeneric}}, asmKernels()...)

func TestScanMatchesRefFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const tol = 1e-12
	for i := 0; i < 150; i++ {
		shape := randomScanShape(rng, 70)
		a := randomScanArgs[float64](rng, shape)
		want, err := ScanRef(a)
		if err != nil {
			t.Fatalf("case %d %+v: ScanRef: %v", i, shape, err)
		}
		for _, k := range scanKernels {
			for _, workers := range []int{0, 1, 3} {
				var got ScanResult[float64]
				if err := scanIntoWith(&got, a, workers, k.kind); err != nil {
					t.Fatalf("case %d %+v %s workers=%d: %v", i, shape, k.name, workers, err)
				}
				if e := maxRelDiff(got.Y, want.Y); !(e <= tol) {
					t.Errorf("case %d %+v %s workers=%d: Y differs from ScanRef by %.3g (tol %g)", i, shape, k.name, workers, e, tol)
				}
				if e := maxRelDiff(got.LastState, want.LastState); !(e <= tol) {
					t.Errorf("case %d %+v %s workers=%d: LastState differs by %.3g (tol %g)", i, shape, k.name, workers, e, tol)
				}
			}
		}
	}
}

func TestScanMatchesRefFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const tol = 1e-5
	var worst float64
	for i := 0; i < 200; i++ {
		shape := randomScanShape(rng, 300)
		a := randomScanArgs[float32](rng, shape)
		want, err := ScanRef(a)
		if err != nil {
			t.Fatalf("case %d %+v: ScanRef: %v", i, shape, err)
		}
		for _, k := range scanKernels {
			for _, workers := range []int{1, 2} {
				var got ScanResult[float32]
				if err := scanIntoWith(&got, a, workers, k.kind); err != nil {
					t.Fatalf("case %d %+v %s: %v", i, shape, k.name, err)
				}
				ey, eh := maxRelDiff(got.Y, want.Y), maxRelDiff(got.LastState, want.LastState)
				worst = max(worst, ey, eh)
				if !(ey <= tol) || !(eh <= tol) {
					t.Errorf("case %d %+v %s workers=%d: Y error %.3g, LastState error %.3g (tol %g)", i, shape, k.name, workers, ey, eh, tol)
				}
			}
		}
	}
	t.Logf("worst float32 error relative to max|ref|: %.3g", worst)
}

// TestScanLargeParallel covers the multi-goroutine path (work above
// parallelMinUpdates) and the realistic Mamba shapes of the benchmarks.
func TestScanLargeParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, shape := range []scanTestShape{
		{batch: 2, dim: 24, length: 512, state: 16, varB: true, varC: true, skip: true, gate: true, bias: true, softplus: true},
		{batch: 1, dim: 9, length: 1000, state: 33, varB: true, varC: false, softplus: true},
		{batch: 3, dim: 7, length: 701, state: 8, varB: false, varC: true, gate: true},
	} {
		a32 := randomScanArgs[float32](rng, shape)
		want, err := ScanRef(a32)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range scanKernels {
			var got ScanResult[float32]
			if err := scanIntoWith(&got, a32, 3, k.kind); err != nil {
				t.Fatal(err)
			}
			if e := max(maxRelDiff(got.Y, want.Y), maxRelDiff(got.LastState, want.LastState)); !(e <= 1e-5) {
				t.Errorf("%+v %s float32: error %.3g", shape, k.name, e)
			}
		}
	}
}

// TestScanIntoReuses checks that a second ScanInto of the same shape reuses
// dst's slices, allocates nothing on the serial path and gives the same bits.
func TestScanIntoReuses(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, k := range scanKernels {
		for _, shape := range []scanTestShape{
			{batch: 1, dim: 1, length: 5, state: 2, varB: true, varC: true, softplus: true},
			{batch: 2, dim: 3, length: 40, state: 16, varB: true, varC: true, skip: true, gate: true, bias: true, softplus: true},
		} {
			a := randomScanArgs[float32](rng, shape)
			var dst ScanResult[float32]
			if err := scanIntoWith(&dst, a, 1, k.kind); err != nil {
				t.Fatal(err)
			}
			first := append([]float32(nil), dst.Y...)
			y0 := &dst.Y[0]
			allocs := testing.AllocsPerRun(20, func() {
				if err := scanIntoWith(&dst, a, 1, k.kind); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%s %+v: %v allocations per repeated ScanInto, want 0", k.name, shape, allocs)
			}
			if &dst.Y[0] != y0 {
				t.Errorf("%s: ScanInto reallocated Y", k.name)
			}
			for i := range first {
				if math.Float32bits(first[i]) != math.Float32bits(dst.Y[i]) {
					t.Fatalf("%s: repeated scan differs at %d: %v vs %v", k.name, i, first[i], dst.Y[i])
				}
			}
		}
	}
}

// TestScanDeterministicAcrossWorkers: the rows are independent, so the number
// of goroutines must not change a single bit.
func TestScanDeterministicAcrossWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	a := randomScanArgs[float32](rng, scanTestShape{batch: 2, dim: 40, length: 200, state: 16,
		varB: true, varC: true, skip: true, gate: true, bias: true, softplus: true})
	one, err := Scan(a, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 8, 100} {
		got, err := Scan(a, w)
		if err != nil {
			t.Fatal(err)
		}
		for i := range one.Y {
			if math.Float32bits(one.Y[i]) != math.Float32bits(got.Y[i]) {
				t.Fatalf("workers=%d: Y[%d] = %v, workers=1 gives %v", w, i, got.Y[i], one.Y[i])
			}
		}
	}
}

func TestScanRejectsBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	good := func() *ScanArgs[float64] {
		return randomScanArgs[float64](rng, scanTestShape{batch: 2, dim: 3, length: 4, state: 5, varB: true, varC: true, skip: true, gate: true, bias: true})
	}
	for i, test := range []struct {
		edit    func(a *ScanArgs[float64])
		workers int
		want    string
	}{
		{func(a *ScanArgs[float64]) {}, -1, "workers = -1"},
		{func(a *ScanArgs[float64]) { a.U = a.U[1:] }, 1, "u has 23 elements, want 24"},
		{func(a *ScanArgs[float64]) { a.Delta = nil }, 1, "delta has 0 elements"},
		{func(a *ScanArgs[float64]) { a.A[7] = 0.5 }, 1, "A[1,2] = 0.5"},
		{func(a *ScanArgs[float64]) { a.A[0] = math.NaN() }, 1, "A[0,0] = NaN"},
		{func(a *ScanArgs[float64]) { a.VarB = false }, 1, "B has 40 elements, want 15"},
		{func(a *ScanArgs[float64]) { a.C = a.C[:3] }, 1, "C has 3 elements"},
		{func(a *ScanArgs[float64]) { a.D = a.D[:2] }, 1, "D has 2 elements"},
		{func(a *ScanArgs[float64]) { a.Z = a.Z[:1] }, 1, "z has 1 elements"},
		{func(a *ScanArgs[float64]) { a.DeltaBias = []float64{1} }, 1, "delta_bias has 1 elements"},
		{func(a *ScanArgs[float64]) { a.Len = 0 }, 1, "sizes must be positive"},
	} {
		a := good()
		test.edit(a)
		_, err := Scan(a, test.workers)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want one containing %q", i, err, test.want)
		}
	}
	a := good()
	in := &ScanResult[float64]{Y: a.U}
	if err := ScanInto(in, a, 1); err == nil || !strings.Contains(err.Error(), "result Y shares memory with input u") {
		t.Errorf("Y aliasing u: error %v", err)
	}
	big := make([]float64, 100)
	copy(big, a.Z)
	a.Z = big[:len(a.Z)]
	in = &ScanResult[float64]{LastState: big[10:10]} // capacity reaches into z

	if err := ScanInto(in, a, 1); err == nil || !strings.Contains(err.Error(), "result LastState shares memory with input z") {
		t.Errorf("LastState aliasing z: error %v", err)
	}
	if _, err := Scan[float32](nil, 1); err == nil {
		t.Errorf("nil arguments accepted")
	}
	if err := ScanInto(nil, good(), 1); err == nil {
		t.Errorf("nil result accepted")
	}
}

// TestScanDefinedFloatType: a type defined on float32 takes the float32 path.
func TestScanDefinedFloatType(t *testing.T) {
	type f32 float32
	rng := rand.New(rand.NewPCG(7, 7))
	shape := scanTestShape{batch: 1, dim: 4, length: 30, state: 16, varB: true, varC: true, softplus: true, gate: true}
	a := randomScanArgs[f32](rng, shape)
	got, err := Scan(a, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ScanRef(a)
	if err != nil {
		t.Fatal(err)
	}
	if e := maxRelDiff(got.Y, want.Y); !(e <= 1e-5) {
		t.Errorf("defined float32 type: error %.3g", e)
	}
}

// TestScanExtremeSteps: huge Δ (Ā underflows to 0, the state restarts every
// step) and tiny Δ (Ā ≈ 1, long memory) stay finite and close to ScanRef.
func TestScanExtremeSteps(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, fill := range []float64{1e-6, 40, 1e4} {
		shape := scanTestShape{batch: 1, dim: 3, length: 64, state: 16, varB: true, varC: true}
		a := randomScanArgs[float32](rng, shape)
		for i := range a.Delta {
			a.Delta[i] = float32(fill * (0.5 + rng.Float64()))
		}
		want, err := ScanRef(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range scanKernels {
			var got ScanResult[float32]
			if err := scanIntoWith(&got, a, 1, k.kind); err != nil {
				t.Fatal(err)
			}
			for i, v := range got.Y {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("Δ≈%g %s: Y[%d] = %v", fill, k.name, i, v)
				}
			}
			if e := maxRelDiff(got.Y, want.Y); !(e <= 1e-5) {
				t.Errorf("Δ≈%g %s: error %.3g", fill, k.name, e)
			}
		}
	}
}

func ExampleScan() {
	// One channel, one state, Δ = 1, A = -ln 2: Ā = 1/2, B̄ = 1, C = 1.
	// h_l = h_{l-1}/2 + u_l, y_l = h_l.
	a := &ScanArgs[float64]{
		Batch: 1, Dim: 1, Len: 4, State: 1,
		U:     []float64{1, 0, 0, 2},
		Delta: []float64{1, 1, 1, 1},
		A:     []float64{-math.Ln2},
		B:     []float64{1},
		C:     []float64{1},
	}
	res, err := Scan(a, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("y = %.4g, h_L = %.4g\n", res.Y, res.LastState)
	// Output: y = [1 0.5 0.25 2.125], h_L = [2.125]
}
