package render

import (
	"fmt"
	"math"
	"strings"
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
		{"|x_l(t)|", "[|x ][l -1][(t)| ]"},
		{"P^d_lj", "[P ][d 1][lj -1]"},
		{"S_Δ·x_l(0)", "[S ][Δ -1][·x ][l -1][(0) ]"},
		{"Σ_{k=j+1} b_dt", "[Σ ][k=j+1 -1][ b ][dt -1]"},
		{"(2 ln 2)^(−1/2)", "[(2 ln 2) ][−1/2 1]"},
		{"(T* − t)^(−β_l) + 2^(−a)", "[(T* − t) ][−β 1][l 1 -1][ + 2 ][−a 1]"},
		{"a^(b(c)d) e", "[a ][b(c)d 1][ e ]"},
		{"a^(unclosed", "[a^(unclosed ]"},
		{"a_", "[a_ ]"},
		{"S_Cᵀ S_B > 0", "[S ][C -1][ᵀ S ][B -1][ > 0 ]"},
		{"source token j", "[source token j ]"},
		{"(neg, D, out_proj) with d_model 32, x_proj", "[(neg, D, out_proj) with d_model 32, x_proj ]"},
		{"3μS_Δ(T* − t)", "[3μS ][Δ -1][(T* − t) ]"},
		{"K(S_Δ x_l + b_dt)", "[K(S ][Δ -1][ x ][l -1][ + b ][dt -1][) ]"},
	} {
		got := ""
		for _, s := range scripts(tc.in) {
			got += fmt.Sprintf("[%s %s]", s.s, strings.Trim(fmt.Sprint(s.levels), "[]"))
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

// Captions wrap at spaces but never inside a script group.
func TestScriptWordsKeepGroups(t *testing.T) {
	got := strings.Join(scriptWords("a t^(−1/2 + x) b_{k, l} (c d) e"), "|")
	want := "a|t^(−1/2 + x)|b_{k, l}|(c|d)|e"
	if got != want {
		t.Errorf("scriptWords = %q, want %q", got, want)
	}
}
