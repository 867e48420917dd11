package render

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
)

// colorBar is plotter.ColorBar, except on a PDF canvas, where it paints its
// colours as rectangles instead of an image: vgpdf (through fpdf) writes a
// document's images in map order, so a figure with two colour bars gave a
// PDF whose bytes changed from run to run. PNG and SVG are drawn by
// plotter.ColorBar itself, unchanged.
type colorBar struct{ plotter.ColorBar }

// onPDF reports whether c draws into a vgpdf canvas, through any nesting of
// draw.Canvas.
func onPDF(c vg.Canvas) bool {
	for {
		switch x := c.(type) {
		case *vgpdf.Canvas:
			return true
		case draw.Canvas:
			c = x.Canvas
		case *draw.Canvas:
			c = x.Canvas
		default:
			return false
		}
	}
}

// Plot implements plot.Plotter.
func (b *colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	if !onPDF(c.Canvas) {
		b.ColorBar.Plot(c, p)
		return
	}
	n := b.Colors
	if n <= 0 {
		n = 255
	}
	lo, hi := b.ColorMap.Min(), b.ColorMap.Max()
	delta := (hi - lo) / float64(n)
	trX, trY := p.Transforms(&c)
	for i := range n {
		col, err := b.ColorMap.At(lo + delta*float64(i))
		if err != nil {
			panic(err) // as plotter.ColorBar: the values are inside the map's range
		}
		// Each band runs to the end of the bar and the next one is painted
		// over it: no hairline seams between bands in a PDF viewer.
		v := lo + delta*float64(i)
		var r vg.Rectangle
		if b.Vertical {
			r = vg.Rectangle{Min: vg.Point{X: trX(0), Y: trY(v)}, Max: vg.Point{X: trX(1), Y: trY(hi)}}
		} else {
			r = vg.Rectangle{Min: vg.Point{X: trX(v), Y: trY(0)}, Max: vg.Point{X: trX(hi), Y: trY(1)}}
		}
		c.SetColor(col)
		c.Fill(r.Path())
	}
}
