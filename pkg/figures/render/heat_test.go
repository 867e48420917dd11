package render

import (
	"image/color"
	"strings"
	"testing"
)

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// A non-negative matrix gets a sequential scale on [0, max]: light at 0,
// luminance strictly falling to the maximum, the same stops in the HTML. A
// signed one gets a diverging scale symmetric about 0, light at 0 and dark
// at both ends.
func TestHeatmapColorScale(t *testing.T) {
	pos := &Heatmap{Z: [][]float64{{0, 0.2}, {0.5, 2}}, Label: "P"}
	cm, lo, hi := heatColorMap(pos)
	if lo != 0 || hi != 2 {
		t.Fatalf("non-negative range [%v, %v], want [0, 2]", lo, hi)
	}
	prev := 2.0
	for i := 0; i <= 20; i++ {
		c, err := cm.At(lo + (hi-lo)*float64(i)/20)
		if err != nil {
			t.Fatal(err)
		}
		l := luminance(c)
		if !(l < prev) {
			t.Errorf("sequential luminance at step %d is %.3f, not below %.3f", i, l, prev)
		}
		prev = l
	}
	if c, _ := cm.At(0); luminance(c) < 0.9 {
		t.Errorf("sequential colour at 0 has luminance %.2f, want near white", luminance(c))
	}

	signed := &Heatmap{Z: [][]float64{{-1, 0.5}, {0, 3}}, Label: "P"}
	cm, lo, hi = heatColorMap(signed)
	if lo != -3 || hi != 3 {
		t.Fatalf("signed range [%v, %v], want [-3, 3]", lo, hi)
	}
	mid, _ := cm.At(0)
	a, _ := cm.At(lo)
	b, _ := cm.At(hi)
	if !(luminance(mid) > luminance(a)+0.2 && luminance(mid) > luminance(b)+0.2) {
		t.Errorf("diverging luminance %.2f / %.2f / %.2f at −m / 0 / m: 0 should be the lightest", luminance(a), luminance(mid), luminance(b))
	}
	if ar, _, ab, _ := a.RGBA(); ab <= ar {
		t.Error("diverging low end is not blue")
	}

	f := &Figure{Name: "h", Panels: []Panel{{Title: "pos", Heat: pos}}}
	html, err := HTML(f, "h")
	if err != nil {
		t.Fatal(err)
	}
	cmPos, _, _ := heatColorMap(pos)
	for _, stop := range hexStops(cmPos, 0, 2, 11) {
		if !strings.Contains(string(html), `"`+stop+`"`) {
			t.Errorf("HTML lacks the sequential stop %s", stop)
		}
	}
}
