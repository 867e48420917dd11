package safetensors

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Tensor is one named tensor. Its elements are row-major in F32 (dtypes F32,
// F16 and BF16) or F64 (dtype F64); the other slice is nil. Shape is in
// PyTorch's order; an empty Shape is a scalar with one element.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	F32   []float32
	F64   []float64
}

// NumElements is product(Shape), 1 for a scalar.
func (t *Tensor) NumElements() int {
	n, _ := numElements(t.Shape)
	return n
}

// Len is the number of elements held, len(F32) or len(F64) by DType.
func (t *Tensor) Len() int {
	if t.DType == F64 {
		return len(t.F64)
	}
	return len(t.F32)
}

// At returns element i as a float64 whatever the dtype.
func (t *Tensor) At(i int) float64 {
	if t.DType == F64 {
		return t.F64[i]
	}
	return float64(t.F32[i])
}

// CheckFinite returns an error naming the first NaN or ±Inf element with its
// multi-index, or nil.
func (t *Tensor) CheckFinite() error {
	for i, n := 0, t.Len(); i < n; i++ {
		if v := t.At(i); math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("safetensors: tensor %q%s is %v, want finite values", t.Name, indexString(t.Shape, i), v)
		}
	}
	return nil
}

// indexString formats the flat row-major index i of shape as "[i0,i1,...]".
func indexString(shape []int, i int) string {
	if len(shape) == 0 {
		return ""
	}
	idx := make([]string, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		if shape[k] > 0 {
			idx[k] = fmt.Sprint(i % shape[k])
			i /= shape[k]
		}
	}
	return "[" + strings.Join(idx, ",") + "]"
}

// check verifies that t can be written: a name, a supported dtype, sizes
// that are non-negative and data of length product(Shape) in the slice that
// the dtype uses (the other one nil).
func (t *Tensor) check() error {
	if t.Name == "" {
		return fmt.Errorf("safetensors: tensor with an empty name")
	}
	if !utf8.ValidString(t.Name) {
		return fmt.Errorf("safetensors: tensor name %q is not valid UTF-8", t.Name)
	}
	if t.Name == metadataKey {
		return fmt.Errorf("safetensors: %q is reserved for the metadata and cannot name a tensor", metadataKey)
	}
	if !t.DType.supported() {
		return fmt.Errorf("safetensors: tensor %q: dtype %q is not supported (supported: F32, F64, F16, BF16)", t.Name, t.DType)
	}
	n, err := numElements(t.Shape)
	if err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", t.Name, err)
	}
	switch {
	case t.DType == F64 && t.F32 != nil:
		return fmt.Errorf("safetensors: tensor %q has dtype F64 but data in F32", t.Name)
	case t.DType != F64 && t.F64 != nil:
		return fmt.Errorf("safetensors: tensor %q has dtype %s but data in F64", t.Name, t.DType)
	}
	if got := t.Len(); got != n {
		return fmt.Errorf("safetensors: tensor %q: shape %v needs %d elements, have %d", t.Name, t.Shape, n, got)
	}
	return nil
}

// numElements is product(shape) with every size checked non-negative and
// the product checked against overflow.
func numElements(shape []int) (int, error) {
	n := 1
	for _, s := range shape {
		if s < 0 {
			return 0, fmt.Errorf("shape %v has a negative size", shape)
		}
		if s != 0 && n > math.MaxInt/s {
			return 0, fmt.Errorf("shape %v has more elements than an int holds", shape)
		}
		n *= s
	}
	return n, nil
}

// File is the content of a safetensors file: the tensors in the order of the
// data buffer and the string metadata (nil when the file has none).
type File struct {
	Tensors  []Tensor
	Metadata map[string]string
	byName   map[string]int
}

// Tensor returns the tensor called name.
func (f *File) Tensor(name string) (Tensor, bool) {
	i, ok := f.byName[name]
	if !ok {
		return Tensor{}, false
	}
	return f.Tensors[i], true
}

// Names returns the tensor names in the order of the data buffer.
func (f *File) Names() []string {
	names := make([]string, len(f.Tensors))
	for i := range f.Tensors {
		names[i] = f.Tensors[i].Name
	}
	return names
}

// CheckFinite returns an error naming the first tensor holding a NaN or ±Inf
// element, or nil.
func (f *File) CheckFinite() error {
	for i := range f.Tensors {
		if err := f.Tensors[i].CheckFinite(); err != nil {
			return err
		}
	}
	return nil
}
