package membudget

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "512M": 512 << 20, "8G": 8 << 30, "2GiB": 2 << 30, "3kb": 3 << 10, "1T": 1 << 40} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "x", "1.5G", "99999999999T"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestCheckAndMul(t *testing.T) {
	if Mul(1<<32, 1<<32) != -1 || Mul(3, 5, 7) != 105 || Mul(2, -1) != -1 {
		t.Fatal("Mul overflow or product wrong")
	}
	err := Check("the model", 3<<30, 1<<30)
	if err == nil || !strings.Contains(err.Error(), "3.0 GiB") || !strings.Contains(err.Error(), "1.0 GiB") {
		t.Fatalf("got %v", err)
	}
	if Check("x", 5, 5) != nil || Check("x", Mul(1<<40, 1<<40), 1<<62) == nil {
		t.Fatal("boundary or overflow")
	}
	if d := Default(); d <= 0 {
		t.Fatalf("Default() = %d", d)
	}
}
