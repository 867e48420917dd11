package render

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// Index notation splits into base runs and scripts: '_'/'^' take the run of
// letters and digits after them or a braced group; other uses stay literal.
func TestScripts(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"|x_l(t)|", "[|x 0][l -1][(t)| 0]"},
		{"P^d_lj", "[P 0][d 1][lj -1]"},
		{"S_Δ·x_l(0)", "[S 0][Δ -1][·x 0][l -1][(0) 0]"},
		{"Σ_{k=j+1} b_dt", "[Σ 0][k=j+1 -1][ b 0][dt -1]"},
		{"(2 ln 2)^(−1/2)", "[(2 ln 2)^(−1/2) 0]"},
		{"a_", "[a_ 0]"},
		{"S_Cᵀ S_B > 0", "[S 0][C -1][ᵀ S 0][B -1][ > 0 0]"},
		{"source token j", "[source token j 0]"},
	} {
		got := ""
		for _, s := range scripts(tc.in) {
			got += fmt.Sprintf("[%s %d]", s.s, s.level)
		}
		if got != tc.want {
			t.Errorf("scripts(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// The box of "x_l" is x at the base size followed by l at scriptScale of
// it, lowered: wider than "x" and narrower than "xl", deeper than "x".
func TestScriptTextBox(t *testing.T) {
	h := scriptText{text.Plain{Fonts: font.DefaultCache}}
	fnt := font.From(sansFont(), labelSize)
	face := font.DefaultCache.Lookup(fnt, fnt.Size)
	small := fnt
	small.Size = fnt.Size * scriptScale
	sface := font.DefaultCache.Lookup(small, small.Size)
	want := face.Width("x") + sface.Width("l")
	w, _, d := h.Box("x_l", fnt)
	if math.Abs(float64(w-want)) > 1e-9 {
		t.Errorf("width of x_l %v, want %v", w, want)
	}
	if _, _, dx := h.Box("x", fnt); !(d > dx) {
		t.Errorf("depth of x_l %v not below that of x %v", d, dx)
	}
	if _, ok := labelHandler("source token j").(text.Plain); !ok {
		t.Error("a label without index notation does not use the plain handler")
	}
	if _, ok := labelHandler("P^d_lj").(scriptText); !ok {
		t.Error("P^d_lj does not use the script handler")
	}
}
