package safetensors

import (
	"fmt"
	"os"
	"slices"
)

// Reader is an open safetensors file whose tensors are read one at a time,
// on demand: opening reads and validates only the header (as Read does:
// dtypes, offsets, exact tiling of the data buffer), so the memory a caller
// needs is bounded by the largest tensor it asks for, not by the file. F16
// and BF16 tensors are converted to float32 exactly, as by Read.
type Reader struct {
	path      string
	f         *os.File
	dataStart int64
	byName    map[string]entry
	names     []string // data-buffer order
	// Metadata is the header's __metadata__ (nil when absent).
	Metadata map[string]string
}

// Open opens path and validates its header. Errors name the path.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	r, err := open(path, f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func open(path string, f *os.File) (*Reader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	hd, dataStart, err := readLayout(f, st.Size())
	if err != nil {
		return nil, err
	}
	r := &Reader{path: path, f: f, dataStart: dataStart, byName: make(map[string]entry, len(hd.entries)), Metadata: hd.metadata}
	for _, e := range hd.entries {
		r.byName[e.name] = e
		r.names = append(r.names, e.name)
	}
	return r, nil
}

// Path is the file's path as given to Open.
func (r *Reader) Path() string { return r.path }

// Names lists the tensors in data-buffer order.
func (r *Reader) Names() []string { return slices.Clone(r.names) }

// Info returns a tensor's dtype and shape without reading it.
func (r *Reader) Info(name string) (dtype DType, shape []int, ok bool) {
	e, ok := r.byName[name]
	if !ok {
		return "", nil, false
	}
	return e.dtype, slices.Clone(e.shape), true
}

// Tensor reads one tensor. Errors name the file and the tensor.
func (r *Reader) Tensor(name string) (Tensor, error) {
	e, ok := r.byName[name]
	if !ok {
		return Tensor{}, fmt.Errorf("%s: no tensor %q", r.path, name)
	}
	t, err := readTensor(r.f, r.dataStart, e)
	if err != nil {
		return Tensor{}, fmt.Errorf("%s: tensor %q: %w", r.path, name, err)
	}
	return t, nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }
