package safetensors

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// manyTensorsHeader returns a header of about size bytes naming zero-size
// tensors ("shape":[0,…]) that all sit at data_offsets [0, 0], so the file is
// valid with an empty data buffer: every byte of it is header to parse.
func manyTensorsHeader(size int) string {
	var b strings.Builder
	b.WriteString(`{"__metadata__":{"format":"pt"}`)
	for i := 0; b.Len() < size-80; i++ {
		fmt.Fprintf(&b, `,"layers.%d.weight":{"dtype":"F32","shape":[0,3,4],"data_offsets":[0,0]}`, i)
	}
	b.WriteString("}")
	return b.String()
}

// longShapeHeader returns a header of about size bytes whose one tensor has
// a shape of rank ≈ size/2 (all ones), the other worst case: one huge array.
func longShapeHeader(size int) string {
	var b strings.Builder
	b.WriteString(`{"x":{"dtype":"F32","data_offsets":[0,4],"shape":[1`)
	for b.Len() < size-4 {
		b.WriteString(",1")
	}
	b.WriteString("]}}")
	return b.String()
}

func benchHeader(b *testing.B, h string) {
	buf := []byte(h)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseHeader(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHeader: MB/s must stay about constant from 1 MB to 10 MB
// (linear time), and B/op grow in proportion.
//
//	go test ./internal/safetensors -run '^$' -bench ParseHeader -benchtime 3x
func BenchmarkParseHeader(b *testing.B) {
	for _, mb := range []int{1, 10} {
		b.Run("tensors/"+strconv.Itoa(mb)+"MB", func(b *testing.B) { benchHeader(b, manyTensorsHeader(mb<<20)) })
		b.Run("shape/"+strconv.Itoa(mb)+"MB", func(b *testing.B) { benchHeader(b, longShapeHeader(mb<<20)) })
	}
}

// TestHeaderNearTheCapParsesInBoundedMemory decodes a whole file whose
// header is 99 MB (1.3 million tensor records, the cap is 100 MB) and checks
// that everything it allocates — the header buffer, the parsed records, the
// File — stays under 6 bytes per header byte, about 600 MB; the earlier
// token-by-token decoder allocated 24 bytes per header byte for this shape of
// header and 88 for one long shape array. The long-array case is checked at
// 10 MB: its shape costs 8 bytes per element, i.e. 4 per header byte.
func TestHeaderNearTheCapParsesInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 600 MB")
	}
	for _, c := range []struct {
		name    string
		h       string
		perByte float64
	}{
		{"tensors", manyTensorsHeader(MaxHeaderSize - 1<<20), 6},
		{"shape", longShapeHeader(10 << 20), 5.1},
	} {
		file := rawFile(c.h, nil)
		if c.name == "shape" {
			file = rawFile(c.h, make([]byte, 4))
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		f, err := Decode(file)
		runtime.ReadMemStats(&m1)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(c.h))
		t.Logf("%s: %.1f MB header, %d tensors: %.2f bytes allocated per header byte", c.name, float64(len(c.h))/1e6, len(f.Tensors), got)
		if got > c.perByte {
			t.Errorf("%s: %.2f bytes allocated per header byte, want at most %v", c.name, got, c.perByte)
		}
	}
}
