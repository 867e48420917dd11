package render

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// equalize gives both axes the same data units per length, keeps the
// coarser axis and the centres, and only widens.
func TestEqualize(t *testing.T) {
	for _, c := range []struct{ xmin, xmax, ymin, ymax, w, h float64 }{
		{-1, 1, -1, 1, 400, 300}, {0, 10, -1, 1, 300, 300}, {-2, 2, 0, 100, 500, 200},
	} {
		x0, x1, y0, y1 := equalize(c.xmin, c.xmax, c.ymin, c.ymax, c.w, c.h)
		if ux, uy := (x1-x0)/c.w, (y1-y0)/c.h; math.Abs(ux-uy) > 1e-12*ux {
			t.Errorf("%v: units %v and %v per length", c, ux, uy)
		}
		if x1-x0 < c.xmax-c.xmin-1e-12 || y1-y0 < c.ymax-c.ymin-1e-12 {
			t.Errorf("%v: a range shrank to [%v, %v] × [%v, %v]", c, x0, x1, y0, y1)
		}
		if math.Abs((x0+x1)-(c.xmin+c.xmax)) > 1e-12 || math.Abs((y0+y1)-(c.ymin+c.ymax)) > 1e-12 {
			t.Errorf("%v: a centre moved", c)
		}
	}
}

// The HTML of an equal-aspect panel fixes both ranges in the ratio of the
// grid's pixel size, and a log axis with equal aspect is refused.
func TestHTMLEqualAspect(t *testing.T) {
	f := &Figure{Name: "a", Panels: []Panel{{EqualAspect: true,
		X: Axis{Min: -1, Max: 1}, Y: Axis{Min: -1, Max: 1},
		Series: []Series{{X: []float64{-1, 1}, Y: []float64{-1, 1}}}}}}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	html, err := HTML(f, "a")
	if err != nil {
		t.Fatal(err)
	}
	num := func(axis string) (lo, hi float64) {
		m := regexp.MustCompile(`"` + axis + `":\[\{[^}]*?"min":(-?[0-9.e+-]+),"max":(-?[0-9.e+-]+)`).FindSubmatch(html)
		if m == nil {
			t.Fatalf("no %s range in the HTML", axis)
		}
		lo, _ = strconv.ParseFloat(string(m[1]), 64)
		hi, _ = strconv.ParseFloat(string(m[2]), 64)
		return lo, hi
	}
	x0, x1 := num("xAxis")
	y0, y1 := num("yAxis")
	pw, ph := f.size()
	w, h := pw*50-gridLeft-gridRight, ph*50-gridTop-float64(gridBottomFor(0)) // no legend entries
	if ux, uy := (x1-x0)/w, (y1-y0)/h; math.Abs(ux-uy) > 1e-4*ux {
		t.Errorf("HTML x range [%v, %v], y range [%v, %v]: %v vs %v units per pixel", x0, x1, y0, y1, ux, uy)
	}
	f.Panels[0].X.Log = true
	if f.Validate() == nil {
		t.Error("equal aspect on a log axis was accepted")
	}
}
