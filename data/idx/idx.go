package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// Magic numbers of the two file kinds used by MNIST and Fashion-MNIST.
const (
	MagicImages = 0x00000803 // unsigned bytes, 3 dimensions (N, Rows, Cols)
	MagicLabels = 0x00000801 // unsigned bytes, 1 dimension (N)
)

// typeUbyte is the element-type byte of unsigned-byte data.
const typeUbyte = 0x08

// MaxDecompressed bounds the size of a gunzipped file (the 60 000 training
// images of Fashion-MNIST are 47 MB), so a corrupt or hostile stream cannot
// exhaust memory.
const MaxDecompressed = 1 << 30

// Array is an unsigned-byte IDX tensor: Data holds product(Dims) bytes in
// row-major order.
type Array struct {
	Dims []int
	Data []byte
}

// Parse decodes an IDX file of unsigned bytes, gunzipping it first if it
// starts with the gzip signature. It checks the magic, that the header
// holds every dimension, and that exactly product(Dims) data bytes follow.
func Parse(b []byte) (*Array, error) {
	raw, err := gunzipIfNeeded(b)
	if err != nil {
		return nil, err
	}
	return parseRaw(raw)
}

func parseRaw(b []byte) (*Array, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("truncated header: %d bytes, an IDX file starts with a 4-byte magic number", len(b))
	}
	magic := binary.BigEndian.Uint32(b)
	if b[0] != 0 || b[1] != 0 {
		return nil, fmt.Errorf("bad magic number 0x%08x: not an IDX file", magic)
	}
	if b[2] != typeUbyte {
		return nil, fmt.Errorf("magic number 0x%08x: element type 0x%02x (%s) is not supported, want 0x08 (unsigned byte)", magic, b[2], typeName(b[2]))
	}
	nd := int(b[3])
	if nd == 0 {
		return nil, fmt.Errorf("magic number 0x%08x: zero dimensions", magic)
	}
	hdr := 4 + 4*nd
	if len(b) < hdr {
		return nil, fmt.Errorf("truncated header: %d dimensions need %d header bytes, file has %d", nd, hdr, len(b))
	}
	a := &Array{Dims: make([]int, nd)}
	total := uint64(1)
	overflow := false
	for i := range nd {
		d := binary.BigEndian.Uint32(b[4+4*i:])
		a.Dims[i] = int(d)
		hi, lo := bits.Mul64(total, uint64(d))
		overflow = overflow || hi != 0
		total = lo
	}
	have := uint64(len(b) - hdr)
	switch {
	case overflow || total > have:
		return nil, fmt.Errorf("truncated data: dimensions %v need %s bytes after the header, file has %d", a.Dims, sizeString(total, overflow), have)
	case total < have:
		return nil, fmt.Errorf("%d trailing bytes after the %d data bytes of dimensions %v", have-total, total, a.Dims)
	}
	a.Data = b[hdr:]
	return a, nil
}

func sizeString(n uint64, overflow bool) string {
	if overflow {
		return "more than 2^64"
	}
	return fmt.Sprint(n)
}

// Encode returns a's IDX encoding (uncompressed). Parse(a.Encode()) gives a
// back, and for an uncompressed file b, Parse(b).Encode() equals b.
func (a *Array) Encode() []byte {
	b := make([]byte, 4+4*len(a.Dims), 4+4*len(a.Dims)+len(a.Data))
	b[2], b[3] = typeUbyte, byte(len(a.Dims))
	for i, d := range a.Dims {
		binary.BigEndian.PutUint32(b[4+4*i:], uint32(d))
	}
	return append(b, a.Data...)
}

// maxDeflateRatio bounds what one compressed byte can inflate to: a deflate
// block codes at most 258 bytes per (length, distance) pair of at least one
// bit, so no stream exceeds about 1032 output bytes per input byte; 1100
// leaves room for the gzip framing.
const maxDeflateRatio = 1100

// gunzipIfNeeded returns b, or its decompression if b starts with the gzip
// magic 0x1f 0x8b. The inflation is capped by what the IDX header inside
// promises: the header (4 + 4·ndims bytes) is inflated first, its
// dimensions give the exact size of the file, and that size is checked
// against MaxDecompressed and against maxDeflateRatio·len(b) before the data
// are inflated — and the data are read through a limit of that size, so a
// stream that inflates past it stops there. Memory is therefore bounded by
// the size the header states, which is itself bounded by the compressed
// file's real size.
func gunzipIfNeeded(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("corrupt gzip stream: %w", err)
	}
	head := make([]byte, 4, 4+4*255)
	if k, err := readHead(zr, head); err != nil {
		return nil, err
	} else if k < 4 {
		return head[:k], nil // parseRaw names the short header
	}
	head = head[:4+4*int(head[3])]
	if k, err := readHead(zr, head[4:]); err != nil {
		return nil, err
	} else if k < len(head)-4 {
		return head[:4+k], nil
	}
	total, overflow := dataSize(head)
	limit := min(uint64(MaxDecompressed), maxDeflateRatio*uint64(len(b)))
	if overflow || total > limit-uint64(len(head)) {
		if limit == MaxDecompressed {
			return nil, fmt.Errorf("gzip stream: header dimensions need %s data bytes, more than the %d-byte limit on a decompressed file", sizeString(total, overflow), MaxDecompressed)
		}
		return nil, fmt.Errorf("gzip stream: header dimensions need %s data bytes, but a %d-byte gzip file inflates to at most %d bytes", sizeString(total, overflow), len(b), limit)
	}
	out := bytes.NewBuffer(head)
	// One byte past the data, so trailing bytes are seen (and reported by
	// parseRaw) without inflating an unbounded tail.
	if _, err := io.Copy(out, io.LimitReader(zr, int64(total)+1)); err != nil {
		return nil, fmt.Errorf("corrupt gzip stream: %w", err)
	}
	return out.Bytes(), nil
}

// readHead fills b from zr, stopping early only at a clean end of stream
// (k < len(b), nil error); a corrupt or cut stream is an error.
func readHead(zr io.Reader, b []byte) (int, error) {
	k := 0
	for k < len(b) {
		m, err := zr.Read(b[k:])
		k += m
		if err == io.EOF {
			return k, nil
		}
		if err != nil {
			return k, fmt.Errorf("corrupt gzip stream: %w", err)
		}
	}
	return k, nil
}

// dataSize is product(dims) of a complete header, and whether it overflows.
func dataSize(head []byte) (uint64, bool) {
	total, overflow := uint64(1), false
	for i := 4; i < len(head); i += 4 {
		hi, lo := bits.Mul64(total, uint64(binary.BigEndian.Uint32(head[i:])))
		overflow = overflow || hi != 0
		total = lo
	}
	return total, overflow
}

func typeName(t byte) string {
	switch t {
	case 0x08:
		return "unsigned byte"
	case 0x09:
		return "signed byte"
	case 0x0b:
		return "int16"
	case 0x0c:
		return "int32"
	case 0x0d:
		return "float32"
	case 0x0e:
		return "float64"
	}
	return "unknown type"
}
