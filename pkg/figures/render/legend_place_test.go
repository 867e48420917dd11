package render

import (
	"strings"
	"testing"
)

func line(name string, x, y []float64) Series { return Series{Name: name, X: x, Y: y} }

// A legend avoids the corner its data run through, leaves the data area
// when every place inside is taken, and a legend wider than its panel is
// reported as overflowing.
func TestLegendPlacement(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	rising := make([]float64, len(xs)) // from bottom left to top right
	for i, x := range xs {
		rising[i] = x
	}
	layout := func(p Panel) PanelLayout {
		t.Helper()
		f := &Figure{Name: "l", Panels: []Panel{p, {Series: []Series{line("", xs, xs)}}}}
		lay, err := StaticLayout(f)
		if err != nil {
			t.Fatal(err)
		}
		return lay[0]
	}
	// The diagonal covers the top-right and bottom-left corners: the legend
	// must land in the top left, clear of it.
	l := layout(Panel{Series: []Series{line("rising", xs, rising)}})
	if !l.Legend || !l.Inside || l.Covered != 0 {
		t.Errorf("diagonal: %+v, want inside and clear", l)
	}
	// A zig-zag filling the whole area leaves no place inside.
	var zx, zy []float64
	for i := 0; i <= 40; i++ {
		zx = append(zx, float64(i)/4)
		zy = append(zy, float64(i%2)*10)
	}
	l = layout(Panel{Series: []Series{line("zig-zag", zx, zy)}})
	if l.Inside || l.Covered != 0 || l.Overflow != 0 {
		t.Errorf("zig-zag: %+v, want outside, clear, within the panel", l)
	}
	l = layout(Panel{Series: []Series{line(strings.Repeat("a very long legend entry ", 8), zx, zy)}})
	if l.Overflow <= 0 {
		t.Errorf("a legend wider than its panel: %+v, want Overflow > 0", l)
	}
}
