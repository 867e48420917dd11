package render

import (
	"bytes"
	"strings"
	"testing"
)

// The HTML page carries the figure's title, stamp, caption and paper
// reference as page text (escaped), in that order around the charts.
func TestHTMLPageText(t *testing.T) {
	f := &Figure{
		Name: "t", Title: "Tokens <x_l> & their norms", Caption: "Caption: |x_l(t)| → ∞ as t → T*",
		Stamp: "QUICK MODE", Ref: "Figure 6",
		Panels: []Panel{{Title: "A", Series: []Series{{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}}}}},
	}
	page, err := HTML(f, "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`<p class="figure-stamp">QUICK MODE</p>`,
		`<h1 class="figure-title">Tokens &lt;x<sub>l</sub>&gt; &amp; their norms</h1>`,
		`id="t_0"`,
		`<p class="figure-caption">Caption: |x<sub>l</sub>(t)| → ∞ as t → T*</p>`,
		`arXiv 2410.03292), Figure 6.</p>`,
		`</body>`,
	}
	at := 0
	for _, w := range want {
		i := bytes.Index(page[at:], []byte(w))
		if i < 0 {
			t.Fatalf("page lacks %q after byte %d", w, at)
		}
		at += i + len(w)
	}
	if strings.Contains(string(page), "<x") {
		t.Error("title not escaped")
	}

	// No empty elements for texts the figure does not have.
	bare, err := HTML(&Figure{Name: "b", Panels: f.Panels}, "b")
	if err != nil {
		t.Fatal(err)
	}
	for _, cls := range []string{"figure-stamp", "figure-title", "figure-caption", "figure-ref"} {
		if bytes.Contains(bare, []byte(`<p class="`+cls)) || bytes.Contains(bare, []byte(`<h1 class="`+cls)) {
			t.Errorf("bare figure has a %s element", cls)
		}
	}
}

// Index notation becomes nested <sub>/<sup> on the page and Unicode script
// characters inside charts where every character has one.
func TestScriptHTMLAndUnicode(t *testing.T) {
	for _, c := range []struct{ in, html, uni string }{
		{"x_l(t) < 1", "x<sub>l</sub>(t) &lt; 1", "xₗ(t) < 1"},
		{"P^d_lj", "P<sup>d</sup><sub>lj</sub>", "Pᵈₗⱼ"},
		{"(T* − t)^(−β_l)", "(T* − t)<sup>−β</sup><sup><sub>l</sub></sup>", "(T* − t)^(−β_l)"},
		{"S_Δ·x_l(0)", "S<sub>Δ</sub>·x<sub>l</sub>(0)", "S_Δ·xₗ(0)"},
		{"t^(−1/2)", "t<sup>−1/2</sup>", "t^(−1/2)"},
		{"S_Cᵀ S_B", "S<sub>C</sub>ᵀ S<sub>B</sub>", "S_Cᵀ S_B"},
	} {
		if got := ScriptHTML(c.in); got != c.html {
			t.Errorf("ScriptHTML(%q) = %q, want %q", c.in, got, c.html)
		}
		if got := scriptUnicode(c.in); got != c.uni {
			t.Errorf("scriptUnicode(%q) = %q, want %q", c.in, got, c.uni)
		}
	}
}
