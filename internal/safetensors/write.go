package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
)

// Write writes tensors and metadata in the safetensors format. Everything is
// validated before the first byte is written (names non-empty and unique,
// supported dtypes, data length = product(Shape)). The output is a pure
// function of the arguments: metadata keys sorted, tensors laid out by dtype
// (F64, F32, BF16, F16) then by name, as the reference implementation does,
// and the header padded with spaces to a multiple of 8 bytes. Data is
// streamed in small chunks, so memory does not grow with the file. F16 and
// BF16 tensors are rounded from F32 to nearest, ties to even.
//
// Write to a file through internal/atomicfile (or use WriteFile) so that a
// failure never leaves a partial file.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	order, hdr, err := planWrite(tensors, metadata)
	if err != nil {
		return err
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hdr)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	buf := make([]byte, chunk)
	for _, t := range order {
		if err := writeData(w, t, buf); err != nil {
			return fmt.Errorf("safetensors: write tensor %q: %w", t.Name, err)
		}
	}
	return nil
}

// Encode returns the bytes Write would write.
func Encode(tensors []Tensor, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, tensors, metadata); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteFile writes the file atomically: path is replaced only once the whole
// file is written, and is left untouched (or absent) on any error.
// opts are atomicfile's (for example atomicfile.NotOver(input)).
func WriteFile(path string, tensors []Tensor, metadata map[string]string, opts ...atomicfile.Option) error {
	if _, _, err := planWrite(tensors, metadata); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, tensors, metadata) }, opts...)
}

// planWrite validates the tensors, orders them and builds the padded header.
func planWrite(tensors []Tensor, metadata map[string]string) ([]*Tensor, []byte, error) {
	order := make([]*Tensor, len(tensors))
	names := make(map[string]bool, len(tensors))
	for i := range tensors {
		t := &tensors[i]
		if err := t.check(); err != nil {
			return nil, nil, err
		}
		if names[t.Name] {
			return nil, nil, fmt.Errorf("safetensors: two tensors are named %q", t.Name)
		}
		names[t.Name] = true
		order[i] = t
	}
	for k, v := range metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, nil, fmt.Errorf("safetensors: metadata %q: %q is not valid UTF-8", k, v)
		}
	}
	slices.SortFunc(order, func(a, b *Tensor) int {
		return cmp.Or(cmp.Compare(b.DType.rank(), a.DType.rank()), cmp.Compare(a.Name, b.Name))
	})
	var h bytes.Buffer
	h.WriteByte('{')
	if len(metadata) > 0 {
		h.WriteString(quote(metadataKey) + ":{")
		for i, k := range slices.Sorted(maps.Keys(metadata)) {
			if i > 0 {
				h.WriteByte(',')
			}
			h.WriteString(quote(k) + ":" + quote(metadata[k]))
		}
		h.WriteByte('}')
	}
	var off uint64
	for i, t := range order {
		if i > 0 || len(metadata) > 0 {
			h.WriteByte(',')
		}
		end := off + uint64(t.Len()*t.DType.Size())
		h.WriteString(quote(t.Name) + `:{"dtype":` + quote(string(t.DType)) + `,"shape":[`)
		for k, s := range t.Shape {
			if k > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(s))
		}
		fmt.Fprintf(&h, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}
	if h.Len() > MaxHeaderSize {
		return nil, nil, fmt.Errorf("safetensors: header of %d bytes exceeds the limit of %d", h.Len(), MaxHeaderSize)
	}
	return order, h.Bytes(), nil
}

// quote returns s as a JSON string. Names and values are Go strings, so
// invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// writeData streams t's elements little-endian through buf.
func writeData(w io.Writer, t *Tensor, buf []byte) error {
	size := t.DType.Size()
	n := t.Len()
	per := len(buf) / size
	for i := 0; i < n; i += per {
		m := min(per, n-i)
		b := buf[:m*size]
		switch t.DType {
		case F64:
			for k, v := range t.F64[i : i+m] {
				binary.LittleEndian.PutUint64(b[8*k:], math.Float64bits(v))
			}
		case F32:
			for k, v := range t.F32[i : i+m] {
				binary.LittleEndian.PutUint32(b[4*k:], math.Float32bits(v))
			}
		case F16:
			for k, v := range t.F32[i : i+m] {
				binary.LittleEndian.PutUint16(b[2*k:], f32ToF16(v))
			}
		case BF16:
			for k, v := range t.F32[i : i+m] {
				binary.LittleEndian.PutUint16(b[2*k:], f32ToBF16(v))
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
