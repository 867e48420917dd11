package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/tokendyn/tokendyn/internal/membudget"
)

// Decode parses a whole safetensors file held in memory. See Read.
func Decode(b []byte) (*File, error) {
	return Read(bytes.NewReader(b), int64(len(b)))
}

// ReadFile opens and parses the safetensors file at path; errors name the
// path.
func ReadFile(path string) (*File, error) {
	return ReadFileWithin(path, math.MaxInt64)
}

// ReadFileWithin is ReadFile with a memory budget: see ReadWithin.
func ReadFileWithin(path string, budget int64) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("safetensors: %s is not a regular file", path)
	}
	file, err := ReadWithin(f, st.Size(), budget)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return file, nil
}

// Read parses a safetensors file of size bytes from r. It checks, and
// reports with an error naming the problem:
//   - the file holds the 8-byte header length and the header it announces
//     (at most MaxHeaderSize bytes);
//   - the header is a well-formed UTF-8 JSON object (see parseHeader) with
//     unique names and supported dtypes (F32, F64, F16, BF16);
//   - every tensor's data_offsets lie inside the data buffer, with
//     end − begin = product(shape) · dtype size;
//   - the tensors, sorted by offset, tile the buffer exactly: the first
//     begins at 0, each begins where the previous ends (no gap, no overlap)
//     and the last ends at the end of the file.
//
// It does not reject NaN or Inf values: call File.CheckFinite for that.
// Tensors are returned in data-buffer order.
func Read(r io.ReaderAt, size int64) (*File, error) {
	return ReadWithin(r, size, math.MaxInt64)
}

// ReadWithin is Read with a memory budget in bytes: after the header has
// been checked against the file's real size (so every shape is backed by
// bytes that exist) and before any tensor is allocated, the memory the
// decoded file needs (DecodedBytes: the header plus every tensor in memory,
// F16 and BF16 widened to float32) is compared with budget, and an
// over-budget file is refused with one line naming both sizes.
func ReadWithin(r io.ReaderAt, size, budget int64) (*File, error) {
	hd, dataStart, err := readLayout(r, size)
	if err != nil {
		return nil, err
	}
	n := uint64(dataStart - 8) // the header's length
	if need := decodedBytes(hd.entries, n); need > budget {
		return nil, fmt.Errorf("safetensors: the %d tensors need %s in memory (header %s), more than the memory budget of %s (--memory)",
			len(hd.entries), membudget.Format(need), membudget.Format(int64(n)), membudget.Format(budget))
	}
	f := &File{Metadata: hd.metadata, byName: make(map[string]int, len(hd.entries))}
	f.Tensors = make([]Tensor, len(hd.entries))
	for i, e := range hd.entries {
		t, err := readTensor(r, dataStart, e)
		if err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", e.name, err)
		}
		f.Tensors[i] = t
		f.byName[e.name] = i
	}
	return f, nil
}

// checkLayout validates offsets and sorts entries into data-buffer order.
func checkLayout(entries []entry, dataLen uint64) error {
	for _, e := range entries {
		if e.begin > e.end {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] end before they begin", e.name, e.begin, e.end)
		}
		if e.end > dataLen {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] run past the %d-byte data buffer (truncated file?)", e.name, e.begin, e.end, dataLen)
		}
		n, err := numElements(e.shape)
		if err != nil {
			return fmt.Errorf("tensor %q: %w", e.name, err)
		}
		size := uint64(e.dtype.Size())
		if uint64(n) > dataLen/size || uint64(n)*size != e.end-e.begin {
			return fmt.Errorf("tensor %q: shape %v of %s needs %d·%d bytes, data_offsets [%d, %d] give %d",
				e.name, e.shape, e.dtype, n, size, e.begin, e.end, e.end-e.begin)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end), cmp.Compare(a.name, b.name))
	})
	var at uint64
	for _, e := range entries {
		switch {
		case e.begin > at:
			return fmt.Errorf("tensor %q: data_offsets begin at %d, leaving bytes %d..%d unused (gap)", e.name, e.begin, at, e.begin)
		case e.begin < at:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap the previous tensor, which ends at %d", e.name, e.begin, e.end, at)
		}
		at = e.end
	}
	if at != dataLen {
		return fmt.Errorf("data buffer has %d bytes but the tensors cover %d (%d trailing bytes)", dataLen, at, dataLen-at)
	}
	return nil
}

// decodedBytes is the memory Read allocates for a file whose layout
// checkLayout accepted: the header buffer, and each tensor's elements in
// their in-memory type (float64 for F64, float32 otherwise). It cannot
// overflow: every tensor is backed by its bytes in the file, so the total is
// at most header + 2·data bytes.
func decodedBytes(entries []entry, headerLen uint64) int64 {
	need := int64(headerLen)
	for _, e := range entries {
		n := int64(e.end-e.begin) / int64(e.dtype.Size())
		if e.dtype == F64 {
			need += 8 * n
		} else {
			need += 4 * n
		}
	}
	return need
}

// chunk is the number of bytes decoded at a time.
const chunk = 1 << 16

// readTensor reads and converts one tensor's elements.
func readTensor(r io.ReaderAt, dataStart int64, e entry) (Tensor, error) {
	t := Tensor{Name: e.name, DType: e.dtype, Shape: e.shape}
	if t.Shape == nil {
		t.Shape = []int{}
	}
	size := e.dtype.Size()
	n := int(e.end-e.begin) / size
	if e.dtype == F64 {
		t.F64 = make([]float64, n)
	} else {
		t.F32 = make([]float32, n)
	}
	buf := make([]byte, min(chunk, int(e.end-e.begin)))
	off := dataStart + int64(e.begin)
	for i := 0; i < n; {
		m := min(n-i, len(buf)/size)
		b := buf[:m*size]
		if err := readFull(r, b, off); err != nil {
			return t, err
		}
		off += int64(len(b))
		switch e.dtype {
		case F64:
			for k := range m {
				t.F64[i+k] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*k:]))
			}
		case F32:
			for k := range m {
				t.F32[i+k] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*k:]))
			}
		case F16:
			for k := range m {
				t.F32[i+k] = f16ToF32(binary.LittleEndian.Uint16(b[2*k:]))
			}
		case BF16:
			for k := range m {
				t.F32[i+k] = bf16ToF32(binary.LittleEndian.Uint16(b[2*k:]))
			}
		}
		i += m
	}
	return t, nil
}

// readFull reads len(b) bytes at off, reporting a short read as truncation.
func readFull(r io.ReaderAt, b []byte, off int64) error {
	k, err := r.ReadAt(b, off)
	if k == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated file: wanted %d bytes at offset %d, got %d", len(b), off, k)
	}
	return err
}

// readLayout reads and parses the header of a safetensors file of size bytes
// and checks every tensor's place against the data that follows it. It
// returns the header and the offset of the data buffer.
func readLayout(r io.ReaderAt, size int64) (*header, int64, error) {
	if size < 8 {
		return nil, 0, fmt.Errorf("safetensors: file is %d bytes, too short for the 8-byte header length", size)
	}
	var lenBuf [8]byte
	if err := readFull(r, lenBuf[:], 0); err != nil {
		return nil, 0, fmt.Errorf("safetensors: reading the header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxHeaderSize {
		return nil, 0, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	}
	if n > uint64(size-8) {
		return nil, 0, fmt.Errorf("safetensors: truncated file: header length %d but only %d bytes follow", n, size-8)
	}
	hbuf := make([]byte, n)
	if err := readFull(r, hbuf, 8); err != nil {
		return nil, 0, fmt.Errorf("safetensors: reading the header: %w", err)
	}
	hd, err := parseHeader(hbuf)
	if err != nil {
		return nil, 0, fmt.Errorf("safetensors: header: %w", err)
	}
	dataStart := 8 + int64(n)
	if err := checkLayout(hd.entries, uint64(size-dataStart)); err != nil {
		return nil, 0, fmt.Errorf("safetensors: %w", err)
	}
	return hd, dataStart, nil
}
