package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sameTensor compares name, dtype, shape and the bits of every element.
func sameTensor(a, b Tensor) bool {
	if a.Name != b.Name || a.DType != b.DType || !slices.Equal(a.Shape, b.Shape) || len(a.F32) != len(b.F32) || len(a.F64) != len(b.F64) {
		return false
	}
	for i := range a.F32 {
		if math.Float32bits(a.F32[i]) != math.Float32bits(b.F32[i]) {
			return false
		}
	}
	for i := range a.F64 {
		if math.Float64bits(a.F64[i]) != math.Float64bits(b.F64[i]) {
			return false
		}
	}
	return true
}

func randomTensors(rng *rand.Rand) []Tensor {
	var ts []Tensor
	for k := range 1 + rng.IntN(6) {
		shape := make([]int, rng.IntN(4))
		n := 1
		for i := range shape {
			shape[i] = rng.IntN(5)
			n *= shape[i]
		}
		t := Tensor{Name: string(rune('a'+k)) + ".weight", Shape: shape}
		switch rng.IntN(4) {
		case 0:
			t.DType = F64
			t.F64 = make([]float64, n)
			for i := range t.F64 {
				t.F64[i] = rng.NormFloat64()
			}
		case 1:
			t.DType = F32
			t.F32 = make([]float32, n)
			for i := range t.F32 {
				t.F32[i] = float32(rng.NormFloat64())
			}
		case 2:
			t.DType = F16
			t.F32 = make([]float32, n)
			for i := range t.F32 {
				t.F32[i] = f16ToF32(uint16(rng.Uint32())) // representable, so exact
			}
		default:
			t.DType = BF16
			t.F32 = make([]float32, n)
			for i := range t.F32 {
				t.F32[i] = bf16ToF32(uint16(rng.Uint32()))
			}
		}
		ts = append(ts, t)
	}
	return ts
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for iter := range 200 {
		ts := randomTensors(rng)
		md := map[string]string{"delta_softplus": "true", "note": `quotes " and \ and <tags> and ünïcode`}
		if iter%3 == 0 {
			md = nil
		}
		b, err := Encode(ts, md)
		if err != nil {
			t.Fatal(err)
		}
		n := binary.LittleEndian.Uint64(b)
		if n%8 != 0 {
			t.Fatalf("iteration %d: header length %d is not a multiple of 8", iter, n)
		}
		f, err := Decode(b)
		if err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		if len(f.Tensors) != len(ts) || !maps.Equal(f.Metadata, md) {
			t.Fatalf("iteration %d: %d tensors, metadata %v; want %d, %v", iter, len(f.Tensors), f.Metadata, len(ts), md)
		}
		for _, want := range ts {
			got, ok := f.Tensor(want.Name)
			if want.Shape == nil {
				want.Shape = []int{}
			}
			if !ok || !sameTensor(got, want) {
				t.Fatalf("iteration %d: tensor %q read back as %+v, want %+v", iter, want.Name, got, want)
			}
		}
		// Deterministic: the input order does not matter.
		slices.Reverse(ts)
		b2, err := Encode(ts, md)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("iteration %d: encoding depends on the input order", iter)
		}
	}
}

// The layout is the reference writer's: dtype F64, F32, BF16, F16 first,
// then names; the header is compact JSON padded with spaces.
func TestWriteLayout(t *testing.T) {
	ts := []Tensor{
		{Name: "b", DType: F32, Shape: []int{1}, F32: []float32{2}},
		{Name: "a", DType: F32, Shape: []int{1}, F32: []float32{1}},
		{Name: "z", DType: F64, Shape: []int{1}, F64: []float64{3}},
		{Name: "h", DType: F16, Shape: []int{1}, F32: []float32{1}},
	}
	b, err := Encode(ts, map[string]string{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := padded(`{"__metadata__":{"k":"v"},` +
		`"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},` +
		`"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},` +
		`"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},` +
		`"h":{"dtype":"F16","shape":[1],"data_offsets":[16,18]}}`)
	want := rawFile(wantHeader, cat(le64(3), le32(1, 2), []byte{0x00, 0x3c}))
	if !bytes.Equal(b, want) {
		t.Fatalf("encoded\n%q\nwant\n%q", b, want)
	}
}

func TestWriteRejectsBadTensors(t *testing.T) {
	for i, test := range []struct {
		ts   []Tensor
		want string
	}{
		{[]Tensor{{Name: "", DType: F32, Shape: []int{1}, F32: []float32{1}}}, "empty name"},
		{[]Tensor{{Name: "__metadata__", DType: F32, Shape: []int{1}, F32: []float32{1}}}, "reserved"},
		{[]Tensor{{Name: "x", DType: "I32", Shape: []int{1}, F32: []float32{1}}}, `dtype "I32" is not supported`},
		{[]Tensor{{Name: "x", DType: F32, Shape: []int{2}, F32: []float32{1}}}, "needs 2 elements, have 1"},
		{[]Tensor{{Name: "x", DType: F32, Shape: []int{-1}}}, "negative size"},
		{[]Tensor{{Name: "x", DType: F64, Shape: []int{1}, F32: []float32{1}}}, "data in F32"},
		{[]Tensor{{Name: "x", DType: F32, Shape: []int{1}, F64: []float64{1}}}, "data in F64"},
		{[]Tensor{{Name: "x", DType: F32, F32: []float32{1}}, {Name: "x", DType: F32, F32: []float32{1}}}, `two tensors are named "x"`},
		{[]Tensor{{Name: "bad\xff", DType: F32, F32: []float32{1}}}, "not valid UTF-8"},
	} {
		var buf bytes.Buffer
		err := Write(&buf, test.ts, nil)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want one containing %q", i, err, test.want)
		}
		if buf.Len() != 0 {
			t.Errorf("case %d: %d bytes written before the error", i, buf.Len())
		}
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after < len(p) {
		return 0, errors.New("disk full")
	}
	w.after -= len(p)
	return len(p), nil
}

func TestWritePropagatesWriterErrors(t *testing.T) {
	ts := []Tensor{{Name: "x", DType: F64, Shape: []int{chunk}, F64: make([]float64, chunk)}}
	for _, after := range []int{0, 8, 100, chunk + 200} {
		if err := Write(&failWriter{after: after}, ts, nil); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("writer failing after %d bytes: error %v", after, err)
		}
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ckpt.safetensors")
	ts := []Tensor{{Name: "backbone.layers.0.mixer.A_log", DType: F32, Shape: []int{2, 2}, F32: []float32{0, 0.69, 1.1, 1.39}}}
	if err := WriteFile(p, ts, map[string]string{"step": "10"}); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Tensor(ts[0].Name); !sameTensor(got, ts[0]) || f.Metadata["step"] != "10" {
		t.Fatalf("read back %+v %v", got, f.Metadata)
	}
	bad := []Tensor{{Name: "x", DType: F32, Shape: []int{3}, F32: []float32{1}}}
	if err := WriteFile(p, bad, nil); err == nil {
		t.Fatal("no error for a bad tensor")
	}
	if _, err := ReadFile(p); err != nil {
		t.Fatalf("a failed WriteFile damaged the previous file: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "nodir", "x.safetensors"), ts, nil); err == nil {
		t.Fatal("no error writing into a missing directory")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want only the checkpoint", len(entries))
	}
}
