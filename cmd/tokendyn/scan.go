package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"unsafe"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/membudget"
	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// scanTensorNames returns the tensor names of the scan's input file, as the
// arguments of mamba_ssm's selective_scan_ref(u, delta, A, B, C, D, z,
// delta_bias, delta_softplus).
func scanTensorNames() (required, optional []string) {
	return []string{"u", "delta", "A", "B", "C"}, []string{"D", "z", "delta_bias"}
}

// runScan implements `tokendyn scan -in IN.safetensors -out OUT.safetensors`:
// the selective scan S6 (docs/paper.md §1.1, mamba.Scan) on tensors saved from
// PyTorch. The input holds u, delta (B, D, L); A (D, N); B, C as (B, N, L)
// (input-dependent, VarB/VarC) or (D, N) (shared), told apart by their rank;
// optionally D, delta_bias (D) and z (B, D, L); and the metadata key
// delta_softplus ("true" or "false", default false). All tensors are F32 or
// all are F64. The output holds out (B, D, L) and last_state (B, D, N) in the
// input's dtype. data/README.md shows the PyTorch side.
//
// Exit status: 0 ok; 1 for a bad input file (truncated, malformed, NaN/Inf,
// missing tensor, mixed dtypes, inconsistent shapes), reported in one line,
// with no output file written; 2 for a usage error.
func runScan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("scan", stderr, scanHelp)
	in := fs.String("in", "", "input `file` (safetensors) holding u, delta, A, B, C and optionally D, z, delta_bias")
	out := fs.String("out", "", "output `file` (safetensors) to write out (B,D,L) and last_state (B,D,N) into")
	threads := fs.Int("threads", runtime.NumCPU(), "number of goroutines running the scan (>= 1)")
	memory := memoryFlag(fs)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "tokendyn scan: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	case *in == "" || *out == "":
		fmt.Fprintln(stderr, "tokendyn scan: both -in and -out are required")
		fs.Usage()
		return 2
	case *threads < 1 || *threads > membudget.MaxThreads:
		fmt.Fprintf(stderr, "tokendyn scan: -threads %d, want 1 to %d\n", *threads, membudget.MaxThreads)
		return 2
	}
	summary, err := scanFile(*in, *out, *threads, *memory)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn scan: %s\n", scanOneLine(err.Error()))
		return 1
	}
	fmt.Fprintln(stdout, summary)
	return 0
}

// scanOneLine folds a message onto a single line.
func scanOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// scanFile reads, checks, scans and writes; it returns a one-line summary.
// The input's decoded tensors and the outputs (B, D, L) + (B, D, N) must fit
// in budget bytes; both are checked before they are allocated.
func scanFile(inPath, outPath string, threads int, budget int64) (string, error) {
	notIn := atomicfile.NotOver(inPath)
	if err := atomicfile.Check(outPath, notIn); err != nil {
		return "", err
	}
	f, err := safetensors.ReadFileWithin(inPath, budget)
	if err != nil {
		return "", err
	}
	scanRequired, scanOptional := scanTensorNames()
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%s: %s", inPath, fmt.Sprintf(format, a...))
	}
	for _, name := range f.Names() {
		if !slices.Contains(scanRequired, name) && !slices.Contains(scanOptional, name) {
			return "", fail("unexpected tensor %q (the scan reads u, delta, A, B, C and optionally D, z, delta_bias)", name)
		}
	}
	for _, name := range scanRequired {
		if _, ok := f.Tensor(name); !ok {
			return "", fail("missing tensor %q (the scan needs u, delta, A, B, C)", name)
		}
	}
	if err := f.CheckFinite(); err != nil {
		return "", fail("%v", err)
	}
	softplus := false
	if v, ok := f.Metadata["delta_softplus"]; ok {
		switch v {
		case "true":
			softplus = true
		case "false":
		default:
			return "", fail("metadata delta_softplus = %q, want \"true\" or \"false\"", v)
		}
	}
	u, _ := f.Tensor("u")
	for _, t := range f.Tensors {
		if t.DType != u.DType {
			return "", fail("mixed dtypes: u is %s but %s is %s (all tensors must be F32 or all F64)", u.DType, t.Name, t.DType)
		}
	}
	var (
		res    *scanOutput
		errRun error
	)
	switch u.DType {
	case safetensors.F32:
		res, errRun = runScanTyped(f, softplus, threads, budget, func(t safetensors.Tensor) []float32 { return t.F32 })
	case safetensors.F64:
		res, errRun = runScanTyped(f, softplus, threads, budget, func(t safetensors.Tensor) []float64 { return t.F64 })
	default:
		return "", fail("dtype %s: the scan reads F32 or F64 tensors", u.DType)
	}
	if errRun != nil {
		return "", fail("%v", errRun)
	}
	md := map[string]string{"delta_softplus": fmt.Sprint(softplus), "producer": "tokendyn scan"}
	if err := safetensors.WriteFile(outPath, res.tensors, md, notIn); err != nil {
		return "", err
	}
	return fmt.Sprintf("tokendyn scan: wrote %s: out %v and last_state %v (%s, B %s, C %s, delta_softplus=%v)",
		outPath, res.tensors[0].Shape, res.tensors[1].Shape, u.DType, res.bKind, res.cKind, softplus), nil
}

// scanOutput is what the scan writes.
type scanOutput struct {
	tensors      []safetensors.Tensor // out, last_state
	bKind, cKind string               // "input-dependent" or "shared"
}

// runScanTyped checks every shape against u's (B, D, L) and A's (D, N),
// runs mamba.Scan in T and packs the result.
func runScanTyped[T float32 | float64](f *safetensors.File, softplus bool, threads int, budget int64, data func(safetensors.Tensor) []T) (*scanOutput, error) {
	u, _ := f.Tensor("u")
	A, _ := f.Tensor("A")
	nb, nd, nl, nn, err := scanSizes(u, A)
	if err != nil {
		return nil, err
	}
	args := &mamba.ScanArgs[T]{Batch: nb, Dim: nd, Len: nl, State: nn, DeltaSoftplus: softplus, U: data(u), A: data(A)}
	if err := scanOptionalArgs(f, args, data); err != nil {
		return nil, err
	}
	out := &scanOutput{}
	if err := scanBCArgs(f, args, out, data); err != nil {
		return nil, err
	}
	if err := checkScanMemory(f, nb, nd, nl, nn, int64(unsafe.Sizeof(T(0))), budget); err != nil {
		return nil, err
	}
	res, err := mamba.Scan(args, threads)
	if err != nil {
		return nil, err
	}
	if err := checkScanFinite(res); err != nil {
		return nil, err
	}
	out.tensors = []safetensors.Tensor{
		packTensor("out", []int{nb, nd, nl}, res.Y),
		packTensor("last_state", []int{nb, nd, nn}, res.LastState),
	}
	return out, nil
}

// scanSizes checks u's shape (B, D, L) and A's (D, N) and returns B, D, L
// and N.
func scanSizes(u, A safetensors.Tensor) (nb, nd, nl, nn int, err error) {
	if len(u.Shape) != 3 {
		return 0, 0, 0, 0, fmt.Errorf("u has shape %v, want (B, D, L)", u.Shape)
	}
	nb, nd, nl = u.Shape[0], u.Shape[1], u.Shape[2]
	if nb < 1 || nd < 1 || nl < 1 {
		return 0, 0, 0, 0, fmt.Errorf("u has shape %v, want positive sizes", u.Shape)
	}
	if len(A.Shape) != 2 || A.Shape[0] != nd || A.Shape[1] < 1 {
		return 0, 0, 0, 0, fmt.Errorf("A has shape %v, want (D, N) = (%d, N) with N >= 1", A.Shape, nd)
	}
	return nb, nd, nl, A.Shape[1], nil
}

// scanOptionalArgs sets delta and, when present, z (B, D, L), D and
// delta_bias (D) of args from f, checking their shapes against args' sizes.
func scanOptionalArgs[T float32 | float64](f *safetensors.File, args *mamba.ScanArgs[T], data func(safetensors.Tensor) []T) error {
	bdl := []int{args.Batch, args.Dim, args.Len}
	get := func(name string, want []int, what string) ([]T, error) {
		t, ok := f.Tensor(name)
		if !ok {
			return nil, nil
		}
		if !slices.Equal(t.Shape, want) {
			return nil, fmt.Errorf("%s has shape %v, want %s = %v", name, t.Shape, what, want)
		}
		return data(t), nil
	}
	var err error
	if args.Delta, err = get("delta", bdl, "(B, D, L) like u"); err != nil {
		return err
	}
	if args.Z, err = get("z", bdl, "(B, D, L) like u"); err != nil {
		return err
	}
	if args.D, err = get("D", []int{args.Dim}, "(D)"); err != nil {
		return err
	}
	if args.DeltaBias, err = get("delta_bias", []int{args.Dim}, "(D)"); err != nil {
		return err
	}
	return nil
}

// scanBCArgs sets B and C of args from f, each shared (D, N) or
// input-dependent (B, N, L), or (B, 1, N, L) for one group, and records
// which in out.
func scanBCArgs[T float32 | float64](f *safetensors.File, args *mamba.ScanArgs[T], out *scanOutput, data func(safetensors.Tensor) []T) error {
	nb, nd, nl, nn := args.Batch, args.Dim, args.Len, args.State
	for _, m := range []struct {
		name string
		dst  *[]T
		vary *bool
		kind *string
	}{{"B", &args.B, &args.VarB, &out.bKind}, {"C", &args.C, &args.VarC, &out.cKind}} {
		t, _ := f.Tensor(m.name)
		switch {
		case len(t.Shape) == 2 && slices.Equal(t.Shape, []int{nd, nn}):
			*m.kind = "shared"
		case len(t.Shape) == 3 && slices.Equal(t.Shape, []int{nb, nn, nl}):
			*m.vary, *m.kind = true, "input-dependent"
		case len(t.Shape) == 4 && slices.Equal(t.Shape, []int{nb, 1, nn, nl}):
			*m.vary, *m.kind = true, "input-dependent" // one group, (B, G=1, N, L)
		case len(t.Shape) == 4:
			return fmt.Errorf("%s has shape %v: grouped %s (B, G, N, L) is supported only for G = 1, as (B, 1, %d, %d)", m.name, t.Shape, m.name, nn, nl)
		case len(t.Shape) == 3:
			return fmt.Errorf("%s has shape %v, want (B, N, L) = %v for input-dependent %s", m.name, t.Shape, []int{nb, nn, nl}, m.name)
		case len(t.Shape) == 2:
			return fmt.Errorf("%s has shape %v, want (D, N) = %v for shared %s", m.name, t.Shape, []int{nd, nn}, m.name)
		default:
			return fmt.Errorf("%s has shape %v, want (B, N, L) = %v or (D, N) = %v", m.name, t.Shape, []int{nb, nn, nl}, []int{nd, nn})
		}
		*m.dst = data(t)
	}
	return nil
}

// checkScanFinite refuses a scan result with a NaN or infinite element in
// out or last_state.
func checkScanFinite[T float32 | float64](res *mamba.ScanResult[T]) error {
	for _, o := range []struct {
		name string
		v    []T
	}{{"out", res.Y}, {"last_state", res.LastState}} {
		for i, x := range o.v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("the scan overflowed: %s element %d is %v (inputs too large for %T)", o.name, i, x, x)
			}
		}
	}
	return nil
}

// checkScanMemory refuses a scan whose outputs, out (B, D, L) and
// last_state (B, D, N) of elem-byte elements, do not fit in the budget left
// by the decoded input. The outputs are not bounded by the input's size:
// last_state grows with B·D·N while the input holds B·D·L + D·N.
func checkScanMemory(f *safetensors.File, nb, nd, nl, nn int, elem, budget int64) error {
	var in int64
	for _, t := range f.Tensors {
		in += 4*int64(len(t.F32)) + 8*int64(len(t.F64))
	}
	y := membudget.Mul(elem, int64(nb), int64(nd), int64(nl))
	h := membudget.Mul(elem, int64(nb), int64(nd), int64(nn))
	need := int64(-1)
	if y >= 0 && h >= 0 && y <= math.MaxInt64-h-in {
		need = in + y + h
	}
	return membudget.Check(fmt.Sprintf("the scan of B=%d, D=%d, L=%d, N=%d (input %s, out and last_state)", nb, nd, nl, nn, membudget.Format(in)), need, budget)
}

func packTensor[T float32 | float64](name string, shape []int, v []T) safetensors.Tensor {
	t := safetensors.Tensor{Name: name, Shape: shape}
	switch x := any(v).(type) {
	case []float32:
		t.DType, t.F32 = safetensors.F32, x
	case []float64:
		t.DType, t.F64 = safetensors.F64, x
	}
	return t
}

// scanHelp is the text of `tokendyn scan -h` above the flags.
const scanHelp = `Usage: tokendyn scan --in IN.safetensors --out OUT.safetensors [--threads T]

Runs the S6 selective scan (mamba_ssm's selective_scan_ref) on the tensors u, delta (B,D,L),
A (D,N), B and C ((B,N,L) input-dependent or (D,N) shared), and optional D, delta_bias (D)
and z (B,D,L), all F32 or all F64; metadata delta_softplus = "true" | "false" (default).
Writes out (B,D,L) and last_state (B,D,N) in the input's dtype.`
