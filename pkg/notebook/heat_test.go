package notebook

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
)

// pixelHues counts the strongly red and strongly blue pixels of a PNG and
// returns its size.
func pixelHues(t *testing.T, b []byte) (red, blue, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r > 150 && g < 60 && b < 80 {
				red++
			}
			if b > 150 && r < 90 && g < 110 {
				blue++
			}
		}
	}
	return red, blue, bd.Dx(), bd.Dy()
}

// The map is centred at 0: a matrix of both signs shows red and blue, an
// all-negative one no red (its entries lie at or below the white centre),
// and the PNG has the requested size in pixels.
func TestHeatPNGCentredMap(t *testing.T) {
	both, err := HeatPNG([][]float64{{1, -1}, {-1, 1}}, "both signs", 2*vg.Inch, 50)
	if err != nil {
		t.Fatal(err)
	}
	red, blue, w, h := pixelHues(t, both)
	if w != 100 || h != 100 {
		t.Errorf("size %d×%d px, want 100×100 (2 in at 50 dpi)", w, h)
	}
	if red < 500 || blue < 500 {
		t.Errorf("±1 matrix: %d red and %d blue pixels, want both colours", red, blue)
	}
	neg, err := HeatPNG([][]float64{{-1, -0.5}, {-0.2, -1}}, "negative", 2*vg.Inch, 50)
	if err != nil {
		t.Fatal(err)
	}
	if red, blue, _, _ := pixelHues(t, neg); red != 0 || blue < 500 {
		t.Errorf("negative matrix: %d red and %d blue pixels, want no red", red, blue)
	}
	p, err := HeatPlot([][]float64{{0, 0}}, "zeros")
	if err != nil || p == nil {
		t.Errorf("all-zero matrix: %v", err)
	}
}

func TestHeatPlotRejectsBadMatrices(t *testing.T) {
	for name, z := range map[string][][]float64{
		"empty":  nil,
		"no col": {{}},
		"ragged": {{1, 2}, {3}},
		"nan":    {{1, math.NaN()}},
		"inf":    {{math.Inf(-1)}},
	} {
		if _, err := HeatPlot(z, name); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRowsAndPositionTicks(t *testing.T) {
	r := Rows([]float64{1, 2, 3, 4, 5, 6}, 3)
	if len(r) != 2 || r[1][0] != 4 || r[0][2] != 3 {
		t.Errorf("rows %v", r)
	}
	tk := PositionTicks(13)
	if len(tk) != 3 || tk[0].Value != 0 || tk[0].Label != "1" || tk[2].Value != 11 || tk[2].Label != "12" {
		t.Errorf("ticks %v", tk)
	}
}
