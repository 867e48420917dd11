package safetensors

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenMatchesReadFile writes tensors of every dtype and checks that
// the lazy Reader returns exactly what ReadFile returns, tensor by tensor.
func TestOpenMatchesReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	ts := []Tensor{
		{Name: "a", DType: F32, Shape: []int{2, 3}, F32: []float32{1, -2, 3.5, 0, 1e-3, -7}},
		{Name: "b", DType: F16, Shape: []int{3}, F32: []float32{0.5, -1.25, 65504}},
		{Name: "c", DType: BF16, Shape: []int{2}, F32: []float32{-3, 1.5}},
		{Name: "d", DType: F64, Shape: []int{}, F64: []float64{0.1}},
	}
	if err := WriteFile(path, ts, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	full, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Metadata["k"] != "v" || len(r.Names()) != len(ts) {
		t.Fatalf("metadata %v, names %v", r.Metadata, r.Names())
	}
	for _, name := range full.Names() {
		want, _ := full.Tensor(name)
		dt, shape, ok := r.Info(name)
		if !ok || dt != want.DType || len(shape) != len(want.Shape) {
			t.Fatalf("%s: info %v %v %v", name, dt, shape, ok)
		}
		got, err := r.Tensor(name)
		if err != nil {
			t.Fatal(err)
		}
		if got.Len() != want.Len() {
			t.Fatalf("%s: %d elements, want %d", name, got.Len(), want.Len())
		}
		for i := 0; i < got.Len(); i++ {
			if got.At(i) != want.At(i) {
				t.Fatalf("%s[%d] = %v, want %v", name, i, got.At(i), want.At(i))
			}
		}
	}
	if _, err := r.Tensor("zz"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("missing tensor: %v", err)
	}
}

// TestOpenTruncated: a file cut short is refused at Open with its path.
func TestOpenTruncated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := WriteFile(path, []Tensor{{Name: "a", DType: F32, Shape: []int{64}, F32: make([]float32, 64)}}, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated file: %v", err)
	}
}
