package mamba

import (
	"strings"
	"testing"
)

// TestTokenScanValidate: complete arrays pass; each array one element short
// (or absent) is named, forward and backward.
func TestTokenScanValidate(t *testing.T) {
	dims := TokenDims{Batch: 2, Len: 3, Dim: 4, State: 2, LdBC: 5}
	m, bc := 6, 5*5+2
	full := func() *TokenScan[float32] {
		mk := func(n int) []float32 { return make([]float32, n) }
		return &TokenScan[float32]{U: mk(m * 4), Delta: mk(m * 4), A: mk(8), B: mk(bc), C: mk(bc), Dskip: mk(4), Y: mk(m * 4),
			GY: mk(m * 4), GU: mk(m * 4), GDelta: mk(m * 4), GB: mk(bc), GC: mk(bc), GA: mk(8), GD: mk(4)}
	}
	for _, back := range []bool{false, true} {
		if err := full().Validate(dims, back); err != nil {
			t.Fatalf("backward %v: %v", back, err)
		}
	}
	short := map[string]func(s *TokenScan[float32]){
		"U": func(s *TokenScan[float32]) { s.U = s.U[1:] }, "B": func(s *TokenScan[float32]) { s.B = s.B[1:] },
		"Dskip": func(s *TokenScan[float32]) { s.Dskip = nil }, "Y": func(s *TokenScan[float32]) { s.Y = nil },
		"GC": func(s *TokenScan[float32]) { s.GC = s.GC[1:] }, "GD": func(s *TokenScan[float32]) { s.GD = nil },
	}
	for name, cut := range short {
		s := full()
		cut(s)
		back := strings.HasPrefix(name, "G")
		err := s.Validate(dims, back)
		if err == nil || !strings.Contains(err.Error(), " "+name+" has") {
			t.Errorf("%s short: %v", name, err)
		}
	}
	if err := full().Validate(TokenDims{Batch: 1, Len: 1, Dim: 1, State: 2, LdBC: 1}, false); err == nil {
		t.Error("LdBC < State accepted")
	}
}
