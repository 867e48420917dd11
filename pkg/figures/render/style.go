package render

import (
	"fmt"
	"image/color"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The house style, shared by every figure. Fonts are set explicitly on every
// text element (never through plot.DefaultFont), so the output does not
// depend on package-level settings made elsewhere.

// sansFont is Liberation Sans, compiled into gonum/plot: no host fonts.
func sansFont() font.Font { return font.Font{Typeface: "Liberation", Variant: "Sans"} }

const (
	titleSize  = 11 // pt
	labelSize  = 10
	tickSize   = 8
	legendSize = 8
	pngDPI     = 150
	lineWidth  = 1.2 // pt
)

// paletteHex is the Okabe–Ito colour-blind-safe palette, black and grey,
// then three of Paul Tol's muted colours (wine, teal, indigo) so that ten
// series can have distinct colours; series pick colours by index modulo its
// length.
const paletteHex = "#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9 #F0E442 #000000 #999999 #882255 #44AA99 #332288"

const paletteLen = 12

// DistinctColors is how many series Distinct tells apart.
const DistinctColors = paletteLen - 2

// Distinct returns the palette index of the i-th of DistinctColors
// colours other than black and grey (which mark overlays and reference
// lines), cycling after DistinctColors.
func Distinct(i int) int {
	if i < 0 {
		i = -i
	}
	i %= DistinctColors
	if i >= ColorBlack {
		i += 2
	}
	return i
}

// Named palette indices for theoretical overlays and reference lines.
const (
	ColorBlack = 7
	ColorGrey  = 8
)

func colorHex(i int) string {
	if i < 0 {
		i = -i
	}
	i %= paletteLen
	return paletteHex[8*i : 8*i+7]
}

func colorRGBA(i int) color.RGBA {
	var r, g, b uint8
	fmt.Sscanf(colorHex(i), "#%02x%02x%02x", &r, &g, &b)
	return color.RGBA{R: r, G: g, B: b, A: 255}
}

// textHandler is gonum/plot's plain handler on its compiled-in fonts.
func textHandler() text.Handler { return text.Plain{Fonts: font.DefaultCache} }

// newPlot returns a plot with the house fonts set on every text element.
func newPlot() *plot.Plot {
	p := plot.New()
	h := textHandler()
	p.TextHandler = h
	p.Title.TextStyle.Font = font.From(sansFont(), titleSize)
	p.Title.TextStyle.Handler = h
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont(), labelSize)
		a.Label.TextStyle.Handler = h
		a.Tick.Label.Font = font.From(sansFont(), tickSize)
		a.Tick.Label.Handler = h
	}
	p.Legend.TextStyle.Font = font.From(sansFont(), legendSize)
	p.Legend.TextStyle.Handler = h
	p.Legend.ThumbnailWidth = vg.Points(18)
	p.Legend.Top = true
	return p
}

// lineStyle returns the gonum line style of a series.
func lineStyle(s Style, c int) draw.LineStyle {
	ls := draw.LineStyle{Color: colorRGBA(c), Width: vg.Points(lineWidth)}
	switch s {
	case Dashed:
		ls.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		ls.Width = vg.Points(1)
	case Dotted:
		ls.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
	}
	return ls
}

// checkGlyphs reports a character of s that Liberation Sans cannot draw
// (it would come out as an empty box).
func checkGlyphs(s string) error {
	face := font.DefaultCache.Lookup(sansFont(), labelSize)
	var buf sfnt.Buffer
	for _, r := range s {
		if r == ' ' {
			continue
		}
		i, err := face.Face.GlyphIndex(&buf, r)
		if err != nil || i == 0 {
			return fmt.Errorf("text %q: character %q (U+%04X) is not in Liberation Sans", s, r, r)
		}
	}
	return nil
}
