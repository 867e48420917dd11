package safetensors

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDecodeHandBuiltFile(t *testing.T) {
	f, err := Decode(validFile())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("names %v, want [a b]", got)
	}
	a, ok := f.Tensor("a")
	if !ok || a.DType != F32 || !slices.Equal(a.Shape, []int{2}) || !slices.Equal(a.F32, []float32{1.5, -2}) || a.F64 != nil {
		t.Fatalf("tensor a = %+v", a)
	}
	b, ok := f.Tensor("b")
	if !ok || b.DType != F64 || !slices.Equal(b.Shape, []int{1, 1}) || !slices.Equal(b.F64, []float64{math.Pi}) || b.F32 != nil {
		t.Fatalf("tensor b = %+v", b)
	}
	if f.Metadata["format"] != "pt" || len(f.Metadata) != 1 {
		t.Fatalf("metadata %v", f.Metadata)
	}
	if _, ok := f.Tensor("c"); ok {
		t.Fatal("found a tensor that is not there")
	}
}

// Files in the wild list tensors in any header order, pad the header with
// spaces, hold scalars, empty tensors and half-precision data.
func TestDecodeVariants(t *testing.T) {
	for i, test := range []struct {
		name   string
		file   []byte
		tensor string
		shape  []int
		want   []float64
	}{
		{"header order differs from data order",
			rawFile(`{"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, le32(7, 9)),
			"y", []int{1}, []float64{9}},
		{"space padding after the JSON",
			rawFile(padded(`{"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`)+"        ", le32(3)),
			"x", []int{}, []float64{3}},
		{"null metadata",
			rawFile(`{"__metadata__":null,"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, le64(-1)),
			"x", []int{1}, []float64{-1}},
		{"empty tensor next to a full one",
			rawFile(`{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, le32(5)),
			"e", []int{0, 3}, []float64{}},
		{"F16 little-endian",
			rawFile(`{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}}`, []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00}),
			"h", []int{3}, []float64{1, -2, math.Ldexp(1, -24)}},
		{"BF16 little-endian",
			rawFile(`{"h":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}`, []byte{0x80, 0x3f, 0x49, 0x40}),
			"h", []int{2}, []float64{1, 3.140625}},
		{"no tensors at all", rawFile(`{}`, nil), "", nil, nil},
	} {
		f, err := Decode(test.file)
		if err != nil {
			t.Errorf("case %d (%s): %v", i, test.name, err)
			continue
		}
		if test.tensor == "" {
			if len(f.Tensors) != 0 {
				t.Errorf("case %d (%s): %d tensors, want none", i, test.name, len(f.Tensors))
			}
			continue
		}
		x, ok := f.Tensor(test.tensor)
		if !ok {
			t.Errorf("case %d (%s): tensor %q missing", i, test.name, test.tensor)
			continue
		}
		got := make([]float64, x.Len())
		for k := range got {
			got[k] = x.At(k)
		}
		if !slices.Equal(x.Shape, test.shape) || !slices.Equal(got, test.want) {
			t.Errorf("case %d (%s): shape %v values %v, want %v %v", i, test.name, x.Shape, got, test.shape, test.want)
		}
	}
}

// Every corruption class is rejected with an error that names it.
func TestDecodeRejectsCorruptFiles(t *testing.T) {
	good := validFile()
	hdrLen := func(n uint64) []byte {
		b := append([]byte(nil), good...)
		binary.LittleEndian.PutUint64(b, n)
		return b
	}
	one := func(entry string, data []byte) []byte { return rawFile(`{"x":`+entry+`}`, data) }
	for i, test := range []struct {
		name string
		file []byte
		want string // a substring of the error
	}{
		{"empty file", nil, "too short"},
		{"7 bytes", good[:7], "too short"},
		{"header length past the end", hdrLen(uint64(len(good))), "truncated file"},
		{"header length over the limit", hdrLen(MaxHeaderSize + 1), "exceeds the limit"},
		{"header length 2^64-1", hdrLen(math.MaxUint64), "exceeds the limit"},
		{"truncated data", good[:len(good)-1], "run past"},
		{"truncated header", good[:8+20], "truncated file"},
		{"trailing bytes", append(append([]byte(nil), good...), 0), "trailing bytes"},
		{"not JSON", rawFile("hello, world", nil), "does not start with a JSON object"},
		{"JSON array", rawFile("[]", nil), "does not start with a JSON object"},
		{"unterminated JSON", rawFile(`{"x":{"dtype":"F32"`, nil), "header ends early"},
		{"invalid UTF-8", rawFile("{\"\xff\":{}}", nil), "not valid UTF-8"},
		{"second JSON value", rawFile(`{}{}`, nil), "data after its JSON object"},
		{"garbage after JSON", rawFile(`{} x`, nil), "data after its JSON object"},
		{"duplicate tensor name", rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, le32(1, 2)), `names "x" twice`},
		{"duplicate field", one(`{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}`, le32(1)), "dtype given twice"},
		{"unknown field", one(`{"dtype":"F32","shape":[1],"data_offsets":[0,4],"stride":[1]}`, le32(1)), `unknown field "stride"`},
		{"missing dtype", one(`{"shape":[1],"data_offsets":[0,4]}`, le32(1)), "missing field dtype"},
		{"missing shape", one(`{"dtype":"F32","data_offsets":[0,4]}`, le32(1)), "missing field shape"},
		{"missing offsets", one(`{"dtype":"F32","shape":[1]}`, le32(1)), "missing field data_offsets"},
		{"unsupported dtype", one(`{"dtype":"I64","shape":[1],"data_offsets":[0,8]}`, le64(1)), `dtype "I64" is not supported`},
		{"unknown dtype", one(`{"dtype":"F128","shape":[1],"data_offsets":[0,16]}`, le64(1, 2)), `dtype "F128" is not supported`},
		{"dtype not a string", one(`{"dtype":4,"shape":[1],"data_offsets":[0,4]}`, le32(1)), "dtype is number 4"},
		{"negative size", one(`{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}`, le32(1)), "non-negative integers"},
		{"fractional size", one(`{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}`, le32(1)), "non-negative integers"},
		{"one offset", one(`{"dtype":"F32","shape":[1],"data_offsets":[4]}`, le32(1)), "want 2"},
		{"offsets reversed", one(`{"dtype":"F32","shape":[0],"data_offsets":[4,0]}`, le32(1)), "end before they begin"},
		{"offset past the buffer", one(`{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`, le32(1)), "run past"},
		{"length does not match shape", one(`{"dtype":"F32","shape":[2],"data_offsets":[0,4]}`, le32(1)), "needs 2·4 bytes"},
		{"length not a multiple of dtype", one(`{"dtype":"F64","shape":[1],"data_offsets":[0,4]}`, le32(1)), "needs 1·8 bytes"},
		{"shape overflows", one(`{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}`, le32(1)), "more elements than an int holds"},
		{"gap between tensors", rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, le32(1, 2, 3)), "gap"},
		{"data not starting at 0", one(`{"dtype":"F32","shape":[1],"data_offsets":[4,8]}`, le32(1, 2)), "gap"},
		{"overlapping tensors", rawFile(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, le32(1, 2)), "overlap"},
		{"metadata not an object", rawFile(`{"__metadata__":[1]}`, nil), "want an object of strings"},
		{"metadata value not a string", rawFile(`{"__metadata__":{"k":1}}`, nil), "want a string"},
		{"metadata duplicate key", rawFile(`{"__metadata__":{"k":"a","k":"b"}}`, nil), `names "k" twice`},
		{"tensor record not an object", one(`[1]`, nil), `where "{" was expected`},
		{"empty tensor name", rawFile(`{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, le32(1)), "empty name"},
	} {
		_, err := Decode(test.file)
		if err == nil {
			t.Errorf("case %d (%s): no error", i, test.name)
			continue
		}
		if !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d (%s): error %q does not mention %q", i, test.name, err, test.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("case %d (%s): error spans lines: %q", i, test.name, err)
		}
	}
}

func TestCheckFinite(t *testing.T) {
	for i, test := range []struct {
		x    Tensor
		want string
	}{
		{Tensor{Name: "ok", DType: F32, Shape: []int{2}, F32: []float32{1, -1e30}}, ""},
		{Tensor{Name: "u", DType: F32, Shape: []int{2, 3}, F32: []float32{0, 0, 0, 0, float32(math.NaN()), 0}}, `tensor "u"[1,1] is NaN`},
		{Tensor{Name: "d", DType: F64, Shape: []int{3}, F64: []float64{0, math.Inf(-1), 0}}, `tensor "d"[1] is -Inf`},
		{Tensor{Name: "s", DType: F64, Shape: []int{}, F64: []float64{math.Inf(1)}}, `tensor "s" is +Inf`},
	} {
		err := test.x.CheckFinite()
		switch {
		case test.want == "" && err != nil:
			t.Errorf("case %d: unexpected error %v", i, err)
		case test.want != "" && (err == nil || !strings.Contains(err.Error(), test.want)):
			t.Errorf("case %d: error %v, want one containing %q", i, err, test.want)
		}
	}
	f, err := Decode(rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, le32(float32(math.Inf(1)))))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CheckFinite(); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("File.CheckFinite = %v, want an error naming x", err)
	}
}

func TestReadFileNamesPath(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.safetensors")
	if err := os.WriteFile(p, validFile()[:30], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("ReadFile error %v does not name %s", err, p)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.safetensors")); err == nil {
		t.Fatal("no error for a missing file")
	}
	good := filepath.Join(dir, "good.safetensors")
	if err := os.WriteFile(good, validFile(), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := ReadFile(good); err != nil || len(f.Tensors) != 2 {
		t.Fatalf("ReadFile(good) = %v, %v", f, err)
	}
}

// A tensor larger than the decoding chunk is read across chunk boundaries.
func TestDecodeLargeTensor(t *testing.T) {
	n := 3*chunk/4 + 5
	want := make([]float64, n)
	for i := range want {
		want[i] = float64(i) * 0.5
	}
	f, err := Decode(rawFile(padded(`{"big":{"dtype":"F64","shape":[`+itoa(n)+`],"data_offsets":[0,`+itoa(8*n)+`]}}`), le64(want...)))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.Tensor("big")
	if !slices.Equal(got.F64, want) {
		t.Fatal("large tensor decoded wrongly")
	}
}
