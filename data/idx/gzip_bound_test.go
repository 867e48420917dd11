package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// header returns an unsigned-byte IDX header with dims.
func header(dims ...uint32) []byte {
	b := []byte{0, 0, typeUbyte, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return b
}

// gzipOf compresses the header followed by n zero bytes, streaming.
func gzipOf(t *testing.T, head []byte, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(head)
	zero := make([]byte, 1<<16)
	for n > 0 {
		k := min(n, len(zero))
		zw.Write(zero[:k])
		n -= k
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// TestGzipInflationIsCappedByTheHeader: a gzip bomb whose header promises 10
// data bytes but which inflates to 256 MiB is refused as trailing data after
// inflating at most the 10 bytes (+1): the parse allocates far less than the
// compressed file is big plus a few buffers, not 256 MiB.
func TestGzipInflationIsCappedByTheHeader(t *testing.T) {
	bomb := gzipOf(t, header(10), 256<<20)
	var err error
	got := allocated(func() { _, err = Parse(bomb) })
	if err == nil || !strings.Contains(err.Error(), "trailing bytes") {
		t.Fatalf("bomb (%d bytes compressed): got %v, want trailing bytes refused", len(bomb), err)
	}
	if got > 1<<20 {
		t.Fatalf("parsing a %d-byte bomb allocated %d bytes; want < 1 MiB (inflation stops at the 11 bytes the header allows)", len(bomb), got)
	}
	t.Logf("%d-byte gzip inflating to 256 MiB: refused after allocating %d bytes", len(bomb), got)
}

// TestGzipHeaderMustFitTheCompressedSize: dimensions the compressed size
// cannot hold (deflate inflates at most ~1032:1) are refused before any data
// are inflated, and so are dimensions past MaxDecompressed.
func TestGzipHeaderMustFitTheCompressedSize(t *testing.T) {
	small := gzipOf(t, header(1000, 1000, 1000), 0) // claims 1e9 bytes, holds none
	var err error
	got := allocated(func() { _, err = Parse(small) })
	if err == nil || !strings.Contains(err.Error(), "inflates to at most") {
		t.Fatalf("got %v, want the header's 1e9 bytes refused for a %d-byte file", err, len(small))
	}
	if got > 64<<10 {
		t.Fatalf("refusal allocated %d bytes", got)
	}
	// A 2 MiB gzip file (incompressible data) may inflate to 2.2 GB: then
	// MaxDecompressed decides.
	noise := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	big := gz(append(header(2000, 1000, 1000), noise...))
	if _, err = Parse(big); err == nil || !strings.Contains(err.Error(), "limit on a decompressed file") {
		t.Fatalf("got %v, want the 2e9 bytes refused by MaxDecompressed", err)
	}
	// An honest file at the ratio bound still parses: 1 MiB of zeros.
	ok := gzipOf(t, header(1024, 1024), 1<<20)
	a, err := Parse(ok)
	if err != nil || len(a.Data) != 1<<20 {
		t.Fatalf("honest %d-byte gzip of 1 MiB: %v", len(ok), err)
	}
	t.Logf("1 MiB of zeros compresses to %d bytes (ratio %.0f, bound %d)", len(ok), float64(1<<20)/float64(len(ok)), maxDeflateRatio)
}
