package main

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// scanCase describes a random scan input.
type scanCase struct {
	f64                  bool
	nb, nd, nl, nn       int
	varB, varC           bool
	withD, withZ, withDB bool
	softplus             bool
	bRank4               bool // B saved as (B, 1, N, L)
}

// build draws the tensors of c and the matching float64 ScanArgs.
func (c scanCase) build(seed uint64) ([]safetensors.Tensor, *mamba.ScanArgs[float64]) {
	rng := rand.New(rand.NewPCG(seed, seed))
	a := &mamba.ScanArgs[float64]{Batch: c.nb, Dim: c.nd, Len: c.nl, State: c.nn, VarB: c.varB, VarC: c.varC, DeltaSoftplus: c.softplus}
	var ts []safetensors.Tensor
	add := func(name string, shape []int, gen func() float64) []float64 {
		n := 1
		for _, s := range shape {
			n *= s
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = gen()
			if !c.f64 {
				v[i] = float64(float32(v[i])) // the args see exactly what the file holds
			}
		}
		ts = append(ts, tensorOf(name, shape, v, c.f64))
		return v
	}
	normal := rng.NormFloat64
	bdl := []int{c.nb, c.nd, c.nl}
	a.U = add("u", bdl, normal)
	a.Delta = add("delta", bdl, func() float64 {
		if c.softplus {
			return rng.NormFloat64() - 1
		}
		return 0.01 + 0.2*rng.Float64()
	})
	a.A = add("A", []int{c.nd, c.nn}, func() float64 { return -math.Exp(rng.NormFloat64()) })
	bShape := []int{c.nd, c.nn}
	if c.varB {
		bShape = []int{c.nb, c.nn, c.nl}
		if c.bRank4 {
			bShape = []int{c.nb, 1, c.nn, c.nl}
		}
	}
	a.B = add("B", bShape, normal)
	cShape := []int{c.nd, c.nn}
	if c.varC {
		cShape = []int{c.nb, c.nn, c.nl}
	}
	a.C = add("C", cShape, normal)
	if c.withD {
		a.D = add("D", []int{c.nd}, normal)
	}
	if c.withZ {
		a.Z = add("z", bdl, normal)
	}
	if c.withDB {
		a.DeltaBias = add("delta_bias", []int{c.nd}, func() float64 { return 0.1 * rng.NormFloat64() })
	}
	return ts, a
}

func tensorOf(name string, shape []int, v []float64, f64 bool) safetensors.Tensor {
	if f64 {
		return safetensors.Tensor{Name: name, DType: safetensors.F64, Shape: shape, F64: slices.Clone(v)}
	}
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return safetensors.Tensor{Name: name, DType: safetensors.F32, Shape: shape, F32: f}
}

func writeInput(t *testing.T, dir string, ts []safetensors.Tensor, md map[string]string) string {
	t.Helper()
	p := filepath.Join(dir, "in.safetensors")
	if err := safetensors.WriteFile(p, ts, md); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestScanMatchesScanRef(t *testing.T) {
	for i, c := range []scanCase{
		{f64: true, nb: 2, nd: 3, nl: 17, nn: 4, varB: true, varC: true, withD: true, withZ: true, withDB: true, softplus: true},
		{f64: true, nb: 1, nd: 2, nl: 5, nn: 3},
		{f64: true, nb: 2, nd: 2, nl: 9, nn: 2, varB: true, bRank4: true, withD: true},
		{nb: 2, nd: 4, nl: 33, nn: 16, varB: true, varC: true, withD: true, withZ: true, withDB: true, softplus: true},
		{nb: 3, nd: 2, nl: 8, nn: 5, varC: true, withZ: true},
		{nb: 1, nd: 1, nl: 1, nn: 1, withDB: true, softplus: true},
	} {
		dir := t.TempDir()
		ts, args := c.build(uint64(10 + i))
		md := map[string]string{"format": "pt"}
		if c.softplus {
			md["delta_softplus"] = "true"
		} else if i%2 == 1 {
			md["delta_softplus"] = "false"
		}
		in := writeInput(t, dir, ts, md)
		out := filepath.Join(dir, "out.safetensors")
		code, stdout, stderr := runCLI("scan", "-in", in, "-out", out, "-threads", "2")
		if code != 0 {
			t.Fatalf("case %d: exit %d, stderr %q", i, code, stderr)
		}
		if !strings.Contains(stdout, "wrote "+out) {
			t.Errorf("case %d: stdout %q", i, stdout)
		}
		ref, err := mamba.ScanRef(args)
		if err != nil {
			t.Fatal(err)
		}
		f, err := safetensors.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Metadata["delta_softplus"]; got != map[bool]string{true: "true", false: "false"}[c.softplus] {
			t.Errorf("case %d: output metadata delta_softplus = %q", i, got)
		}
		wantType := safetensors.F32
		tol := 2e-5
		if c.f64 {
			wantType, tol = safetensors.F64, 1e-12
		}
		for _, w := range []struct {
			name  string
			shape []int
			want  []float64
		}{{"out", []int{c.nb, c.nd, c.nl}, ref.Y}, {"last_state", []int{c.nb, c.nd, c.nn}, ref.LastState}} {
			got, ok := f.Tensor(w.name)
			if !ok || got.DType != wantType || !slices.Equal(got.Shape, w.shape) {
				t.Fatalf("case %d: %s = %v %v, want %s %v", i, w.name, got.DType, got.Shape, wantType, w.shape)
			}
			scale := 1.0
			for _, v := range w.want {
				scale = math.Max(scale, math.Abs(v))
			}
			for k, v := range w.want {
				if d := math.Abs(got.At(k) - v); d > tol*scale {
					t.Fatalf("case %d: %s[%d] = %v, ScanRef gives %v (|diff| %g > %g)", i, w.name, k, got.At(k), v, d, tol*scale)
				}
			}
		}
		// Deterministic: another run with other threads gives the same bytes.
		out2 := filepath.Join(dir, "out2.safetensors")
		if code, _, stderr := runCLI("scan", "-in", in, "-out", out2, "-threads", "1"); code != 0 {
			t.Fatalf("case %d: second run: %s", i, stderr)
		}
		b1, _ := os.ReadFile(out)
		b2, _ := os.ReadFile(out2)
		if !bytes.Equal(b1, b2) {
			t.Errorf("case %d: -threads 2 and -threads 1 give different files", i)
		}
	}
}

// replace returns ts with the tensor called name replaced (or removed when
// with is nil).
func replace(ts []safetensors.Tensor, name string, with *safetensors.Tensor) []safetensors.Tensor {
	var out []safetensors.Tensor
	for _, t := range ts {
		if t.Name != name {
			out = append(out, t)
		} else if with != nil {
			out = append(out, *with)
		}
	}
	return out
}

func TestScanRejectsBadInput(t *testing.T) {
	base := scanCase{nb: 2, nd: 3, nl: 4, nn: 2, varB: true, varC: true, withD: true, withZ: true, withDB: true, softplus: true}
	good, _ := base.build(1)
	goodBytes, err := safetensors.Encode(good, map[string]string{"delta_softplus": "true"})
	if err != nil {
		t.Fatal(err)
	}
	f32 := func(name string, shape []int, fill float32) *safetensors.Tensor {
		n := 1
		for _, s := range shape {
			n *= s
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = fill
		}
		return &safetensors.Tensor{Name: name, DType: safetensors.F32, Shape: shape, F32: v}
	}
	withValue := func(name string, k int, v float32) []safetensors.Tensor {
		out := slices.Clone(good)
		for i := range out {
			if out[i].Name == name {
				out[i].F32 = slices.Clone(out[i].F32)
				out[i].F32[k] = v
			}
		}
		return out
	}
	allF16 := slices.Clone(good)
	for i := range allF16 {
		allF16[i].DType = safetensors.F16
	}
	for i, test := range []struct {
		name  string
		raw   []byte // used when non-nil
		ts    []safetensors.Tensor
		md    map[string]string
		noIn  bool
		want  string
		badTo bool // -out in a missing directory
	}{
		{name: "truncated file", raw: goodBytes[:len(goodBytes)-3], want: "run past"},
		{name: "header cut", raw: goodBytes[:40], want: "truncated file"},
		{name: "not safetensors", raw: []byte("#!/bin/sh\necho hello world\n"), want: "exceeds the limit"},
		{name: "malformed JSON", raw: append([]byte{6, 0, 0, 0, 0, 0, 0, 0}, `{"u":}`...), want: "malformed JSON"},
		{name: "missing input file", noIn: true, want: "no such file"},
		{name: "NaN in u", ts: withValue("u", 5, float32(math.NaN())), want: `tensor "u"[0,1,1] is NaN`},
		{name: "Inf in delta", ts: withValue("delta", 0, float32(math.Inf(1))), want: `tensor "delta"[0,0,0] is +Inf`},
		{name: "missing C", ts: replace(good, "C", nil), want: `missing tensor "C"`},
		{name: "missing u", ts: replace(good, "u", nil), want: `missing tensor "u"`},
		{name: "mixed dtypes", ts: replace(good, "A", &safetensors.Tensor{Name: "A", DType: safetensors.F64, Shape: []int{3, 2}, F64: []float64{-1, -1, -1, -1, -1, -1}}), want: "mixed dtypes"},
		{name: "F16 tensors", ts: allF16, want: "reads F32 or F64"},
		{name: "delta shape", ts: replace(good, "delta", f32("delta", []int{2, 3, 5}, 0.1)), want: "delta has shape [2 3 5], want (B, D, L)"},
		{name: "z shape", ts: replace(good, "z", f32("z", []int{3, 2, 4}, 0)), want: "z has shape [3 2 4]"},
		{name: "u rank 2", ts: replace(good, "u", f32("u", []int{3, 4}, 0)), want: "u has shape [3 4], want (B, D, L)"},
		{name: "A wrong D", ts: replace(good, "A", f32("A", []int{4, 2}, -1)), want: "A has shape [4 2], want (D, N) = (3, N)"},
		{name: "A positive", ts: replace(good, "A", f32("A", []int{3, 2}, 0.5)), want: "want a finite negative number"},
		{name: "B rank 1", ts: replace(good, "B", f32("B", []int{6}, 0)), want: "B has shape [6], want (B, N, L)"},
		{name: "B wrong N", ts: replace(good, "B", f32("B", []int{2, 3, 4}, 0)), want: "B has shape [2 3 4], want (B, N, L) = [2 2 4]"},
		{name: "C shared wrong", ts: replace(good, "C", f32("C", []int{3, 3}, 0)), want: "C has shape [3 3], want (D, N) = [3 2]"},
		{name: "C two groups", ts: replace(good, "C", f32("C", []int{2, 2, 1, 4}, 0)), want: "only for G = 1"},
		{name: "D length", ts: replace(good, "D", f32("D", []int{2}, 0)), want: "D has shape [2], want (D) = [3]"},
		{name: "delta_bias rank", ts: replace(good, "delta_bias", f32("delta_bias", []int{1, 3}, 0)), want: "delta_bias has shape [1 3]"},
		{name: "unexpected tensor", ts: append(slices.Clone(good), *f32("dt_bias", []int{3}, 0)), want: `unexpected tensor "dt_bias"`},
		{name: "bad delta_softplus", ts: good, md: map[string]string{"delta_softplus": "yes"}, want: `delta_softplus = "yes"`},
		{name: "float32 overflow", ts: replace(replace(good, "u", f32("u", []int{2, 3, 4}, 3e38)), "delta", f32("delta", []int{2, 3, 4}, 50)), want: "the scan overflowed"},
		{name: "output directory missing", ts: good, badTo: true, want: "atomicfile"},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, "in.safetensors")
		switch {
		case test.noIn:
		case test.raw != nil:
			os.WriteFile(in, test.raw, 0o644)
		default:
			md := test.md
			if md == nil {
				md = map[string]string{"delta_softplus": "true"}
			}
			in = writeInput(t, dir, test.ts, md)
		}
		outDir := filepath.Join(dir, "results")
		os.Mkdir(outDir, 0o755)
		out := filepath.Join(outDir, "out.safetensors")
		if test.badTo {
			out = filepath.Join(dir, "absent", "out.safetensors")
		}
		code, stdout, stderr := runCLI("scan", "-in", in, "-out", out)
		if code != 1 {
			t.Errorf("case %d (%s): exit %d, want 1 (stderr %q)", i, test.name, code, stderr)
			continue
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(stderr, "tokendyn scan: ") {
			t.Errorf("case %d (%s): stderr is not one line: %q", i, test.name, stderr)
		}
		if !strings.Contains(stderr, test.want) {
			t.Errorf("case %d (%s): stderr %q does not mention %q", i, test.name, stderr, test.want)
		}
		if stdout != "" {
			t.Errorf("case %d (%s): stdout %q on failure", i, test.name, stdout)
		}
		if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
			t.Errorf("case %d (%s): output directory holds %v after a failed run", i, test.name, entries)
		}
	}
}

// A failed run leaves an existing output file untouched.
func TestScanFailureKeepsPreviousOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.safetensors")
	os.WriteFile(out, []byte("previous"), 0o644)
	bad := filepath.Join(dir, "bad.safetensors")
	os.WriteFile(bad, []byte{1, 2, 3}, 0o644)
	if code, _, _ := runCLI("scan", "-in", bad, "-out", out); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if b, _ := os.ReadFile(out); string(b) != "previous" {
		t.Fatalf("output replaced by %q", b)
	}
}

func TestScanUsageErrors(t *testing.T) {
	dir := t.TempDir()
	ts, _ := scanCase{nb: 1, nd: 1, nl: 2, nn: 1}.build(2)
	in := writeInput(t, dir, ts, nil)
	out := filepath.Join(dir, "out.safetensors")
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"scan"}, "both -in and -out are required"},
		{[]string{"scan", "-in", in}, "both -in and -out are required"},
		{[]string{"scan", "-out", out}, "both -in and -out are required"},
		{[]string{"scan", "-in", in, "-out", out, "-frobnicate"}, "flag provided but not defined: -frobnicate"},
		{[]string{"scan", "-in", in, "-out", out, "-threads", "0"}, "-threads 0"},
		{[]string{"scan", "-in", in, "-out", out, "-threads", "two"}, "invalid value"},
		{[]string{"scan", "-in", in, "-out", out, "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCLI(test.args...)
		if code != 2 || !strings.Contains(stderr, test.want) {
			t.Errorf("case %d %v: exit %d stderr %q, want 2 and %q", i, test.args, code, stderr, test.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("case %d: a usage error wrote %s", i, out)
		}
	}
	code, stdout, _ := runCLI("help", "scan")
	if code != 0 || !strings.Contains(stdout, "Usage: tokendyn scan --in") || !strings.Contains(stdout, "-threads") {
		t.Fatalf("help scan: exit %d, output %q", code, stdout)
	}
}

// The output path is never destroyed: not the input, not a device, not a
// directory; an existing file keeps its mode.
func TestScanProtectsTheOutputPath(t *testing.T) {
	dir := t.TempDir()
	ts, _ := scanCase{nb: 1, nd: 2, nl: 3, nn: 2}.build(4)
	in := writeInput(t, dir, ts, nil)
	before, _ := os.ReadFile(in)
	for _, out := range []string{in, "/dev/full", "/dev/null", dir} {
		code, _, stderr := runCLI("scan", "-in", in, "-out", out)
		if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("-out %s: exit %d, stderr %q; want exit 1 and one line", out, code, stderr)
		}
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(before, after) {
		t.Fatal("the input was overwritten")
	}
	if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is no longer a device: %v", err)
	}
	out := filepath.Join(dir, "out.safetensors")
	os.WriteFile(out, nil, 0o600)
	if code, _, stderr := runCLI("scan", "-in", in, "-out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Fatalf("output mode became %v, want 0600 kept", fi.Mode().Perm())
	}
}

// TestScanMemoryBudget: the outputs are not bounded by the input's size
// (last_state is B·D·N while the input holds B·D·L + D·N), so a 2 MB input
// with B = 1000, D = 100, L = 1 and shared B, C of N = 1000 asks for a
// 400 MB last_state. Under --memory 64M it is refused before the scan, with
// one line naming the size asked for, exit 1 and no output; an input whose
// decoded tensors alone exceed the budget is refused before they are read.
func TestScanMemoryBudget(t *testing.T) {
	dir := t.TempDir()
	const nb, nd, nl, nn = 1000, 100, 1, 1000
	ts := []safetensors.Tensor{
		tensorOf("u", []int{nb, nd, nl}, make([]float64, nb*nd*nl), false),
		tensorOf("delta", []int{nb, nd, nl}, make([]float64, nb*nd*nl), false),
		tensorOf("A", []int{nd, nn}, make([]float64, nd*nn), false),
		tensorOf("B", []int{nd, nn}, make([]float64, nd*nn), false),
		tensorOf("C", []int{nd, nn}, make([]float64, nd*nn), false),
	}
	in := writeInput(t, dir, ts, nil)
	out := filepath.Join(dir, "out.safetensors")
	code, _, stderr := runCLI("scan", "-in", in, "-out", out, "-memory", "64M")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "needs 383.8 MiB") || !strings.Contains(stderr, "memory budget of 64.0 MiB") {
		t.Fatalf("exit %d, stderr %q; want exit 1 and one line naming 383.8 MiB (1.9 MiB input + 0.4 MiB out + 381.5 MiB last_state) and the budget", code, stderr)
	}
	code, _, stderr = runCLI("scan", "-in", in, "-out", out, "-memory", "1M")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "tensors need 1.9 MiB") {
		t.Fatalf("exit %d, stderr %q; want the input's 1.9 MiB (5·10⁵ float32) refused in one line", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("an output was written (%v)", err)
	}
	if code, _, stderr = runCLI("scan", "-in", in, "-out", out, "-memory", "lots"); code != 2 || !strings.Contains(stderr, "memory size") {
		t.Fatalf("-memory lots: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
