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

// gunzipIfNeeded returns b, or its decompression if b starts with the gzip
// magic 0x1f 0x8b.
func gunzipIfNeeded(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("corrupt gzip stream: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxDecompressed+1))
	if err != nil {
		return nil, fmt.Errorf("corrupt gzip stream: %w", err)
	}
	if len(out) > MaxDecompressed {
		return nil, fmt.Errorf("gzip stream inflates past %d bytes", MaxDecompressed)
	}
	return out, nil
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
