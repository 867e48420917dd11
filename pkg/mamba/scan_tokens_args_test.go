package mamba

import (
	"strings"
	"testing"
)

// TestTokenMajorValidate: complete token-major arrays pass Validate and
// ValidateTokens (forward and backward); each array one element short (or
// absent) is named; the options the token-major kernels do not have are
// refused; each layout's entry points refuse the other layout.
func TestTokenMajorValidate(t *testing.T) {
	d := tokenDims{Batch: 2, Len: 3, Dim: 4, State: 2, LdBC: 5}
	m, bc := 6, 5*5+2
	mk := func(n int) []float32 { return make([]float32, n) }
	full := func() (*ScanArgs[float32], []float32, []float32, *ScanGrad[float32]) {
		a := fwdScan(d, mk(m*4), mk(m*4), mk(8), mk(bc), mk(bc), mk(4))
		for i := range a.A {
			a.A[i] = -1
		}
		return a, mk(m * 4), mk(m * 4), backGrad(mk(m*4), mk(m*4), mk(bc), mk(bc), mk(8), mk(4))
	}
	a, y, dy, g := full()
	for _, err := range []error{a.Validate(), a.ValidateTokens(y, nil), a.ValidateTokens(dy, g)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	short := map[string]func(a *ScanArgs[float32], y, dy *[]float32, g *ScanGrad[float32]){
		"U":  func(a *ScanArgs[float32], _, _ *[]float32, _ *ScanGrad[float32]) { a.U = a.U[1:] },
		"B":  func(a *ScanArgs[float32], _, _ *[]float32, _ *ScanGrad[float32]) { a.B = a.B[1:] },
		"D":  func(a *ScanArgs[float32], _, _ *[]float32, _ *ScanGrad[float32]) { a.D = nil },
		"y":  func(_ *ScanArgs[float32], y, _ *[]float32, _ *ScanGrad[float32]) { *y = nil },
		"dy": func(_ *ScanArgs[float32], _, dy *[]float32, _ *ScanGrad[float32]) { *dy = (*dy)[1:] },
		"DC": func(_ *ScanArgs[float32], _, _ *[]float32, g *ScanGrad[float32]) { g.DC = g.DC[1:] },
		"DD": func(_ *ScanArgs[float32], _, _ *[]float32, g *ScanGrad[float32]) { g.DD = nil },
	}
	for name, cut := range short {
		a, y, dy, g := full()
		cut(a, &y, &dy, g)
		var err error
		switch name {
		case "y":
			err = a.ValidateTokens(y, nil)
		default:
			err = a.ValidateTokens(dy, g)
		}
		if err == nil || !strings.Contains(err.Error(), " "+name+" has") {
			t.Errorf("%s short: %v", name, err)
		}
	}
	refused := map[string]func(a *ScanArgs[float32]){
		"LdBC < State": func(a *ScanArgs[float32]) { a.LdBC = 1 },
		"fixed B":      func(a *ScanArgs[float32]) { a.VarB = false },
		"gate":         func(a *ScanArgs[float32]) { a.Z = a.U },
		"delta bias":   func(a *ScanArgs[float32]) { a.DeltaBias = a.D },
		"softplus":     func(a *ScanArgs[float32]) { a.DeltaSoftplus = true },
		"A = 0":        func(a *ScanArgs[float32]) { a.A[3] = 0 },
		"layout 7":     func(a *ScanArgs[float32]) { a.Layout = 7 },
	}
	for name, change := range refused {
		a, _, _, _ := full()
		change(a)
		if err := a.Validate(); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	// LdBC 0 means State: contiguous B and C rows.
	a, y, _, _ = full()
	a.LdBC, a.B, a.C = 0, mk(m*2), mk(m*2)
	if err := a.ValidateTokens(y, nil); err != nil {
		t.Errorf("LdBC 0: %v", err)
	}
	// Each layout's entry points refuse the other.
	a, y, _, _ = full()
	if _, err := ScanRef(a); err == nil || !strings.Contains(err.Error(), "channel-major") {
		t.Errorf("ScanRef on token-major arguments: %v", err)
	}
	if _, err := Scan(a, 1); err == nil {
		t.Error("Scan on token-major arguments: no error")
	}
	if _, err := ScanBackward(a, dy); err == nil {
		t.Error("ScanBackward on token-major arguments: no error")
	}
	if _, err := HiddenAttention(a, 0, 0); err == nil {
		t.Error("HiddenAttention on token-major arguments: no error")
	}
	cm := randScanArgs(5, 1, 2, 3, 2, true, true, true, false, false, false)
	if err := cm.ValidateTokens(make([]float64, 6), nil); err == nil || !strings.Contains(err.Error(), "token-major") {
		t.Errorf("ValidateTokens on channel-major arguments: %v", err)
	}
	cm.LdBC = 3
	if err := cm.Validate(); err == nil {
		t.Error("LdBC on channel-major arguments accepted")
	}
}
