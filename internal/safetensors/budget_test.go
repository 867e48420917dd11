package safetensors

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// TestReadWithinBudgetBoundary computes, independently of the reader, the
// memory each decoded file holds (header bytes + 4 per float32 element + 8
// per float64 element, F16/BF16 widened) and checks that ReadWithin accepts
// exactly that budget and refuses one byte less, naming the budget.
func TestReadWithinBudgetBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := range 20 {
		b, err := Encode(randomTensors(rng), nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		need := int64(binary.LittleEndian.Uint64(b))
		for _, x := range f.Tensors {
			need += 4*int64(len(x.F32)) + 8*int64(len(x.F64))
		}
		if _, err := ReadWithin(bytes.NewReader(b), int64(len(b)), need); err != nil {
			t.Fatalf("trial %d: budget = need = %d refused: %v", trial, need, err)
		}
		_, err = ReadWithin(bytes.NewReader(b), int64(len(b)), need-1)
		if err == nil || !strings.Contains(err.Error(), "memory budget") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("trial %d: budget need-1 = %d: got %v, want a one-line memory budget error", trial, need-1, err)
		}
	}
}

// TestReadWithinRefusesBeforeAllocating: a 2 MB F16 tensor (4 MB decoded)
// under a 1 MB budget is refused without allocating the tensor.
func TestReadWithinRefusesBeforeAllocating(t *testing.T) {
	const n = 1 << 20
	b := rawFile(`{"h":{"dtype":"F16","shape":[`+itoa(n)+`],"data_offsets":[0,`+itoa(2*n)+`]}}`, make([]byte, 2*n))
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	_, err := ReadWithin(bytes.NewReader(b), int64(len(b)), 1<<20)
	runtime.ReadMemStats(&m1)
	if err == nil || !strings.Contains(err.Error(), "4.0 MiB") {
		t.Fatalf("got %v, want a refusal naming the 4.0 MiB needed", err)
	}
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 1<<20 {
		t.Fatalf("the refusal allocated %d bytes; the 4 MiB tensor must not be allocated", got)
	}
}
