package kernels

import "testing"

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		env  string
		max  ISA
		want ISA
	}{
		{"", AVX512, AVX512}, {"auto", AVX2, AVX2}, {"avx2", AVX512, AVX2}, {"AVX2", AVX512, AVX2},
		{"purego", AVX512, Purego}, {"avx512", AVX2, AVX2}, {"avx512", Purego, Purego},
		{"sse", AVX512, AVX512}, {" avx512 ", AVX512, AVX512},
	} {
		got, note := choose(c.env, c.max)
		if got != c.want || note == "" {
			t.Errorf("choose(%q, %v) = %v, %q; want %v", c.env, c.max, got, note, c.want)
		}
	}
	if Path() > Best() {
		t.Errorf("Path %v wider than Best %v", Path(), Best())
	}
}
