package render

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Static draws f with gonum/plot and returns its PNG (at pngDPI) and
// SVG (fonts embedded) encodings.
func Static(f *Figure) (png, svg []byte, err error) {
	png, svg, _, err = static(f, false, nil)
	return png, svg, err
}

// StaticAll is Static plus a PDF (fonts embedded) of the same drawing, for
// LaTeX users; its bytes depend only on f (see fixPDFDates).
func StaticAll(f *Figure) (png, svg, pdf []byte, err error) {
	return static(f, true, nil)
}

func static(f *Figure, withPDF bool, rep *[]PanelLayout) (png, svg, pdf []byte, err error) {
	defer func() {
		// gonum/plot reports some bad input (e.g. a degenerate log range)
		// by panicking; turn that into an error naming the figure.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure %q: plot: %v", f.Name, r)
		}
	}()
	sf, err := newStaticFigure(f)
	if err != nil {
		return nil, nil, nil, err
	}
	img := vgimg.NewWith(vgimg.UseWH(sf.w, sf.h), vgimg.UseDPI(pngDPI))
	sf.draw(img, rep)
	var pb bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&pb); err != nil {
		return nil, nil, nil, fmt.Errorf("figure %q: encode PNG: %w", f.Name, err)
	}

	sv := vgsvg.NewWith(vgsvg.UseWH(sf.w, sf.h), vgsvg.EmbedFonts(true))
	sf.draw(sv, nil)
	var sb bytes.Buffer
	if _, err := sv.WriteTo(&sb); err != nil {
		return nil, nil, nil, fmt.Errorf("figure %q: encode SVG: %w", f.Name, err)
	}
	if !withPDF {
		return pb.Bytes(), sb.Bytes(), nil, nil
	}
	pc := vgpdf.New(sf.w, sf.h)
	sf.draw(pc, nil)
	var fb bytes.Buffer
	if _, err := pc.WriteTo(&fb); err != nil {
		return nil, nil, nil, fmt.Errorf("figure %q: encode PDF: %w", f.Name, err)
	}
	pdf, err = fixPDFDates(fb.Bytes())
	if err != nil {
		return nil, nil, nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	return pb.Bytes(), sb.Bytes(), pdf, nil
}

// staticFigure is a figure laid out for the static writers: its size, its
// caption lines, and one plot per panel (with its legend and colour bar),
// drawn alike on each canvas (PNG, SVG, PDF).
type staticFigure struct {
	f          *Figure
	rows, cols int
	w, h       vg.Length
	capSty     text.Style
	capLines   []string
	capBand    vg.Length
	plots      [][]*plot.Plot
	extras     [][]panelExtras
	// orig are the data ranges before any equal-aspect widening, so that
	// each of the three drawings starts from the same ones.
	orig [][]ranges
}

// newStaticFigure sizes f (panels, title band, stamp, wrapped caption) and
// builds its plots.
func newStaticFigure(f *Figure) (*staticFigure, error) {
	sf := &staticFigure{f: f}
	sf.rows, sf.cols = f.grid()
	rows, cols := sf.rows, sf.cols
	pw, ph := f.size()
	sf.w = vg.Length(float64(cols)*pw) * vg.Centimeter
	sf.h = vg.Length(float64(rows)*ph) * vg.Centimeter
	if f.Title != "" || f.Stamp != "" {
		sf.h += figTitleBand
	}
	if f.Title != "" && f.Stamp != "" {
		sf.h += stampBand // the stamp gets its own line above the title
	}
	sf.capSty = captionStyle()
	if strings.ContainsAny(f.Caption, "_^") {
		sf.capSty.Handler = scriptText{text.Plain{Fonts: font.DefaultCache}}
	}
	sf.capLines = wrapText(sf.capSty, f.Caption, sf.w-2*captionMargin)
	sf.capBand = vg.Length(len(sf.capLines)) * sf.capSty.Font.Size * captionLeading
	if len(sf.capLines) > 0 {
		sf.capBand += captionMargin
	}
	sf.h += sf.capBand

	sf.plots = make([][]*plot.Plot, rows)
	sf.extras = make([][]panelExtras, rows)
	for r := range sf.plots {
		sf.plots[r] = make([]*plot.Plot, cols)
		sf.extras[r] = make([]panelExtras, cols)
	}
	for i := range f.Panels {
		p, ex, err := buildPlot(&f.Panels[i])
		if err != nil {
			return nil, fmt.Errorf("figure %q panel %d: %w", f.Name, i, err)
		}
		sf.plots[i/cols][i%cols] = p
		sf.extras[i/cols][i%cols] = ex
	}
	sf.orig = make([][]ranges, rows)
	for r := range sf.plots {
		sf.orig[r] = make([]ranges, cols)
		for c, p := range sf.plots[r] {
			if p != nil {
				sf.orig[r][c] = ranges{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max}
			}
		}
	}
	return sf, nil
}

// draw draws the figure on c: background, stamp and title, caption, then
// the panels row by row; rep, when not nil, gets each panel's layout.
func (sf *staticFigure) draw(c vg.CanvasSizer, rep *[]PanelLayout) {
	f := sf.f
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if f.Title != "" && f.Stamp != "" {
		st := captionStyle()
		st.Color = stampColor()
		st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
		dc.FillText(st, vg.Point{X: dc.Min.X + captionMargin, Y: dc.Max.Y - stampBand/2}, f.Stamp)
		dc = draw.Crop(dc, 0, 0, 0, -stampBand)
	}
	if f.Title != "" || f.Stamp != "" {
		sty := newPlot().Title.TextStyle
		sty.Font.Size = figTitleSize
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		if f.Title != "" {
			sty.Handler = labelHandler(f.Title)
			dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y - figTitleBand/2}, f.Title)
		}
		if f.Stamp != "" && f.Title == "" {
			st := captionStyle()
			st.Color = stampColor()
			st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
			dc.FillText(st, vg.Point{X: dc.Min.X + captionMargin, Y: dc.Max.Y - figTitleBand/2}, f.Stamp)
		}
		dc = draw.Crop(dc, 0, 0, 0, -figTitleBand)
	}
	if len(sf.capLines) > 0 {
		lead := sf.capSty.Font.Size * captionLeading
		for i, line := range sf.capLines {
			y := dc.Min.Y + sf.capBand - captionMargin/2 - lead*vg.Length(i) - lead/2
			dc.FillText(sf.capSty, vg.Point{X: dc.Min.X + captionMargin, Y: y}, line)
		}
		dc = draw.Crop(dc, 0, 0, sf.capBand, 0)
	}
	tiles := draw.Tiles{
		Rows: sf.rows, Cols: sf.cols,
		PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 3,
	}
	canvases := plot.Align(sf.plots, tiles, dc)
	for r := range sf.plots {
		spots, sizes, below := sf.rowLegends(r, canvases[r])
		for c, p := range sf.plots[r] {
			if p != nil {
				sf.drawPanel(r, c, canvases[r][c], below, spots[c], sizes[c], rep)
			}
		}
	}
}

// rowLegends decides where each legend of row r goes; a legend below a
// panel lowers the bottom of every panel of its row, so that the row stays
// aligned, and the others' corners are chosen again on the smaller data
// areas. It returns each panel's spot and legend size, and how much the
// row is lowered.
func (sf *staticFigure) rowLegends(r int, tiles []draw.Canvas) (spots []legendSpot, sizes []vg.Point, below vg.Length) {
	spots = make([]legendSpot, sf.cols)
	sizes = make([]vg.Point, sf.cols)
	for pass := 0; pass < 3; pass++ {
		grew := false
		for c, p := range sf.plots[r] {
			ex := sf.extras[r][c]
			if p == nil || ex.legend == nil {
				continue
			}
			sizes[c] = legendExtent(ex.legend)
			spots[c] = ex.spot
			if !ex.spot.inside() {
				continue
			}
			cv := draw.Crop(tiles[c], 0, 0, below, 0)
			fitAspect(p, &sf.f.Panels[r*sf.cols+c], sf.orig[r][c], cv)
			da := p.DataCanvas(cv)
			spots[c] = chooseSpot(ex.spot, sizes[c], da, cv.Max.X-cv.Min.X, marks(p, da, ex.series))
			if h := sizes[c].Y + staticLegendGap; spots[c] == spotBelow && h > below {
				below, grew = h, true
			}
		}
		if !grew {
			break
		}
	}
	return spots, sizes, below
}

// drawPanel draws the panel (r, c) into its tile, lowered by below, with
// its legend at spot (size) and its colour bar.
func (sf *staticFigure) drawPanel(r, c int, tile draw.Canvas, below vg.Length, spot legendSpot, size vg.Point, rep *[]PanelLayout) {
	p, ex := sf.plots[r][c], sf.extras[r][c]
	cv := draw.Crop(tile, 0, 0, below, 0)
	if lg := ex.legend; lg != nil {
		switch spot {
		case spotRight:
			// The legend takes a strip on the right of the panel,
			// its top level with the data area's.
			full := cv.Max.X - cv.Min.X
			w := size.X + staticLegendGap
			lc := draw.Crop(cv, full-w, 0, 0, 0)
			cv = draw.Crop(cv, 0, -w-staticLegendGap, 0, 0)
			hc := p.DataCanvas(cv)
			lg.Left, lg.Top = true, true
			lg.Draw(draw.Crop(lc, 0, 0, hc.Min.Y-cv.Min.Y, hc.Max.Y-cv.Max.Y))
		case spotBelow:
			// The strip under the row, left-aligned with the
			// panel's data area.
			lc := draw.Crop(tile, 0, 0, 0, -(tile.Max.Y - tile.Min.Y - below))
			lg.Left, lg.Top = true, false
			lg.Draw(draw.Crop(lc, belowX(p.DataCanvas(cv), tile, size)-tile.Min.X, 0, 0, 0))
		}
	}
	if bar := ex.bar; bar != nil {
		// The heatmap keeps the left part of its tile and the
		// colour bar takes a strip on the right.
		full := cv.Max.X - cv.Min.X
		cv0 := cv
		cv = draw.Crop(cv, 0, -colorBarWidth-vg.Millimeter*2, 0, 0)
		// The bar spans the heatmap's data area vertically.
		hc := p.DataCanvas(cv)
		bar.Draw(draw.Crop(cv0, full-colorBarWidth, 0, hc.Min.Y-cv.Min.Y, hc.Max.Y-cv.Max.Y))
	}
	fitAspect(p, &sf.f.Panels[r*sf.cols+c], sf.orig[r][c], cv)
	p.Draw(cv)
	if lg := ex.legend; lg != nil && spot.inside() {
		// Drawn into exactly its box, top-aligned.
		box := legendBox(size, p.DataCanvas(cv), spot)
		lg.Left, lg.Top = spot.left(), true
		lg.Draw(draw.Canvas{Canvas: cv.Canvas, Rectangle: box})
	}
	if rep != nil {
		*rep = append(*rep, layoutOf(r*sf.cols+c, p, cv, tile, ex, spot, size))
	}
}

// ranges are a plot's axis ranges.
type ranges struct{ x0, x1, y0, y1 float64 }

// fitAspect sets p's ranges for drawing on cv: the original ones o, widened
// for equal aspect when the panel asks for it.
func fitAspect(p *plot.Plot, pn *Panel, o ranges, cv draw.Canvas) {
	if !pn.EqualAspect {
		return
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = o.x0, o.x1, o.y0, o.y1
	da := p.DataCanvas(cv)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = equalize(o.x0, o.x1, o.y0, o.y1,
		float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y))
}

// pdfEpoch is the creation and modification date written into every PDF:
// vgpdf stamps the wall clock and offers no option, so the two dates are
// overwritten in place (same length: the cross-reference offsets stay valid)
// and the same figure gives the same bytes.
const pdfEpoch = "D:20250101000000"

var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]{14}\)`)

// fixPDFDates replaces the two wall-clock dates of a vgpdf document by
// pdfEpoch; it fails when the document does not hold exactly those two.
func fixPDFDates(doc []byte) ([]byte, error) {
	n := 0
	out := pdfDate.ReplaceAllFunc(doc, func(m []byte) []byte {
		n++
		k := bytes.IndexByte(m, '(')
		return append(append([]byte(nil), m[:k+1]...), pdfEpoch+")"...)
	})
	if n != 2 || len(out) != len(doc) {
		return nil, fmt.Errorf("PDF: found %d dates to fix, want CreationDate and ModDate", n)
	}
	return out, nil
}

// figTitleBand is the height of the band holding the figure title above
// the panels, and figTitleSize its font size.
const (
	figTitleBand = 0.9 * vg.Centimeter
	// stampBand is the height of the stamp's own line (quick mode, proxy
	// status) above a figure title, so the two never overlap.
	stampBand    = 0.55 * vg.Centimeter
	figTitleSize = 12
)

// The caption under the panels and the stamp above them.
const (
	captionSize    = 9 // pt
	captionLeading = 1.35
	captionMargin  = 0.4 * vg.Centimeter
)

func stampColor() color.Color { return color.RGBA{R: 0xC0, A: 0xFF} }

// captionStyle is the text style of captions and stamps: the figure's
// font, left aligned.
func captionStyle() text.Style {
	sty := newPlot().Legend.TextStyle
	sty.Font.Size = captionSize
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	return sty
}

// wrapText breaks s at spaces into lines no wider than width (a word
// longer than width gets a line of its own).
func wrapText(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range scriptWords(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && sty.Width(try) > width {
			lines = append(lines, line)
			try = w
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// scriptWords splits s at spaces, except inside a script group
// ("^(−1/2 + x)", "_{k, l}"), which must stay on one line to be drawn.
func scriptWords(s string) []string {
	var out []string
	depth := 0
	for _, f := range strings.Fields(s) {
		if depth > 0 {
			out[len(out)-1] += " " + f
		} else {
			out = append(out, f)
		}
		rs := []rune(f)
		for i, r := range rs {
			switch {
			case (r == '(' || r == '{') && (depth > 0 || i > 0 && (rs[i-1] == '_' || rs[i-1] == '^')):
				depth++
			case (r == ')' || r == '}') && depth > 0:
				depth--
			}
		}
	}
	return out
}

// colorBarWidth is the width of the strip holding a heatmap's colour bar.
const colorBarWidth = 1.9 * vg.Centimeter

// panelExtras are drawn beside a panel's plot: the colour bar of a heatmap,
// a legend placed outside the data area.
type panelExtras struct {
	bar    *plot.Plot
	legend *plot.Legend
	spot   legendSpot // where legend goes: preferred corner, or spotRight when asked for
	series []Series   // what the panel draws, for keeping the legend clear of it
}

// buildPlot turns one panel into a gonum plot and its extras.
func buildPlot(pn *Panel) (p *plot.Plot, ex panelExtras, err error) {
	p = newPlot()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.X.Label
	p.Y.Label.Text = pn.Y.Label
	p.Title.TextStyle.Handler = labelHandler(pn.Title)
	p.X.Label.TextStyle.Handler = labelHandler(pn.X.Label)
	p.Y.Label.TextStyle.Handler = labelHandler(pn.Y.Label)
	p.Legend.Left = pn.LegendLeft
	p.Legend.Top = !pn.LegendBottom
	if pn.Heat != nil {
		ex.bar = addHeatmap(p, pn.Heat)
		return p, ex, nil
	}
	setAxisScales(p, pn)
	p.Add(plotter.NewGrid())
	drawn := pn.drawable()
	names, err := addPlotSeries(p, drawn)
	if err != nil {
		return nil, ex, err
	}
	xmin, xmax, ymin, ymax := pn.dataRange()
	if pn.X.Min < pn.X.Max {
		p.X.Min, p.X.Max = xmin, xmax
	}
	if pn.Y.Min < pn.Y.Max {
		p.Y.Min, p.Y.Max = ymin, ymax
	}
	if len(names) > 0 {
		// The legend is drawn by the figure layout, clear of the data
		// (legend_place.go).
		lg := p.Legend
		lg.TextStyle.Handler = legendHandler(names)
		ex.legend = &lg
		ex.spot = preferredSpot(pn)
		if pn.LegendOutside {
			ex.spot = spotRight
		}
		ex.series = drawn
		p.Legend = newPlot().Legend // empty
	}
	return p, ex, nil
}

// setAxisScales gives each axis of a line panel its scale and ticks: log
// (decade ticks) or linear (round ticks), inverted when asked, and integer
// ticks on an index axis.
func setAxisScales(p *plot.Plot, pn *Panel) {
	for _, ax := range []struct {
		a  *plot.Axis
		sp Axis
	}{{&p.X, pn.X}, {&p.Y, pn.Y}} {
		if ax.sp.Log {
			ax.a.Scale = plot.LogScale{}
			ax.a.Tick.Marker = decadeTicks{}
		}
		if ax.sp.Invert {
			ax.a.Scale = plot.InvertedScale{Normalizer: ax.a.Scale}
		}
	}
	for _, ax := range []struct {
		a  *plot.Axis
		sp Axis
	}{{&p.X, pn.X}, {&p.Y, pn.Y}} {
		if !ax.sp.Log {
			ax.a.Tick.Marker = roundTicks{}
		}
	}
	if pn.X.Integer {
		p.X.Tick.Marker = indexTicks{}
	}
	if pn.Y.Integer {
		p.Y.Tick.Marker = indexTicks{}
	}
}

// addPlotSeries adds the drawn series to p in order, points as circles and
// the others as lines in their style, and enters each named one in p's
// legend; it returns the legend's names.
func addPlotSeries(p *plot.Plot, drawn []Series) ([]string, error) {
	var names []string
	for _, s := range drawn {
		xys := make(plotter.XYs, len(s.X))
		for k := range s.X {
			xys[k] = plotter.XY{X: s.X[k], Y: s.Y[k]}
		}
		var th plot.Thumbnailer
		if s.Style == Points {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			sc.GlyphStyle.Color = colorRGBA(s.Color)
			sc.GlyphStyle.Radius = vg.Points(markerRadius)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(sc)
			th = sc
		} else {
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			l.LineStyle = lineStyle(s.Style, s.Color)
			p.Add(l)
			th = l
		}
		if s.Name != "" {
			p.Legend.Add(s.Name, th)
			names = append(names, s.Name)
		}
	}
	return names, nil
}

// matrixGrid shows a Heatmap to gonum as a GridXYZ: column c (0-based in
// Z) at x = c+1 and row r at y = r+1, so that the axes number tokens and
// channels from 1 as the paper does, with the y axis inverted so that row 1
// is at the top.
type matrixGrid struct{ z [][]float64 }

func (g matrixGrid) Dims() (c, r int)   { return len(g.z[0]), len(g.z) }
func (g matrixGrid) Z(c, r int) float64 { return g.z[r][c] }
func (g matrixGrid) X(c int) float64    { return float64(c + 1) }
func (g matrixGrid) Y(r int) float64    { return float64(r + 1) }

// divergingColorMap is Moreland's smooth blue–red map on [-absMax, absMax],
// white at 0.
func divergingColorMap(absMax float64) palette.ColorMap {
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-absMax)
	cm.SetMax(absMax)
	return cm
}

// sequentialColorMap runs from near-white at lo to dark blue at hi with
// luminance falling monotonically (ColorBrewer's Blues end points), for
// non-negative quantities.
func sequentialColorMap(lo, hi float64) palette.ColorMap {
	// moreland wants rising luminance: build dark → light and read it
	// backwards.
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{0x08, 0x30, 0x6b, 0xff}, color.NRGBA{0x21, 0x71, 0xb5, 0xff},
		color.NRGBA{0x6b, 0xae, 0xd6, 0xff}, color.NRGBA{0xc6, 0xdb, 0xef, 0xff},
		color.NRGBA{0xf7, 0xfb, 0xff, 0xff},
	})
	if err != nil {
		panic(err) // fixed control colours: cannot happen
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return reversedMap{cm}
}

// reversedMap reads a colour map from its maximum down: At(v) is the
// inner map's colour at Min+Max−v.
type reversedMap struct{ palette.ColorMap }

func (m reversedMap) At(v float64) (color.Color, error) {
	return m.ColorMap.At(m.Min() + m.Max() - v)
}

func (m reversedMap) Palette(n int) palette.Palette {
	in := m.ColorMap.Palette(n).Colors()
	out := make([]color.Color, len(in))
	for i, c := range in {
		out[len(in)-1-i] = c
	}
	return colorList(out)
}

// colorList is a fixed palette.
type colorList []color.Color

func (l colorList) Colors() []color.Color { return l }

// heatColorMap is the colour map of h (see Heatmap) and its range.
func heatColorMap(h *Heatmap) (cm palette.ColorMap, lo, hi float64) {
	lo, hi, seq := h.colorRange()
	if seq {
		return sequentialColorMap(lo, hi), lo, hi
	}
	return divergingColorMap(hi), lo, hi
}

// addHeatmap draws h on p in matrix orientation and returns its colour bar.
func addHeatmap(p *plot.Plot, h *Heatmap) *plot.Plot {
	cm, lo, hi := heatColorMap(h)
	hm := plotter.NewHeatMap(matrixGrid{h.Z}, cm.Palette(255))
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	nr, nc := len(h.Z), len(h.Z[0])
	p.X.Min, p.X.Max = 0.5, float64(nc)+0.5
	p.Y.Min, p.Y.Max = 0.5, float64(nr)+0.5
	p.X.Tick.Marker = indexTicks{}
	p.Y.Tick.Marker = indexTicks{}

	bar := newPlot()
	bar.Add(&colorBar{plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 255}})
	bar.HideX()
	bar.Y.Label.Text = h.Label
	bar.Y.Label.TextStyle.Handler = labelHandler(h.Label)
	bar.Y.Tick.Marker = roundTicks{}
	return bar
}

// decadeTicks marks powers of ten on a log axis, labelling at most about
// seven of them, with minor ticks at 2..9 × 10^k when the range is narrow.
type decadeTicks struct{}

func (decadeTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) {
		return nil
	}
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	step := 1
	for (hi-lo)/step > 7 {
		step++
	}
	var ts []plot.Tick
	for k := lo; k <= hi; k++ {
		v := math.Pow(10, float64(k))
		if v >= min && v <= max {
			t := plot.Tick{Value: v}
			if (k-lo)%step == 0 {
				t.Label = decadeLabel(k)
			}
			ts = append(ts, t)
		}
		if hi-lo <= 6 {
			for m := 2; m <= 9; m++ {
				if w := float64(m) * v; w >= min && w <= max {
					ts = append(ts, plot.Tick{Value: w})
				}
			}
		}
	}
	labelled := 0
	for _, t := range ts {
		if t.Label != "" {
			labelled++
		}
	}
	// Less than about a decade: label 2× and 5× too, and when that still
	// leaves fewer than three labels, every multiple.
	for _, ms := range [][]int{{2, 5}, {2, 3, 4, 5, 6, 7, 8, 9}} {
		if labelled >= 3 {
			break
		}
		for i := range ts {
			v := ts[i].Value
			m := v / math.Pow(10, math.Floor(math.Log10(v)+1e-9))
			for _, want := range ms {
				if ts[i].Label == "" && math.Abs(m-float64(want)) < 1e-9 {
					ts[i].Label = strconv.FormatFloat(v, 'g', 3, 64)
					labelled++
				}
			}
		}
	}
	if len(ts) == 0 { // no power of ten nor multiple inside
		return roundTicks{}.Ticks(min, max)
	}
	return ts
}

// decadeLabel writes 10^k as a plain number for small k and as 1e±k
// otherwise.
func decadeLabel(k int) string {
	if k >= -3 && k <= 4 {
		return strconv.FormatFloat(math.Pow(10, float64(k)), 'f', -1, 64)
	}
	return fmt.Sprintf("1e%d", k)
}

// indexTicks labels matrix indices with integers, at most about 8 labels.
type indexTicks struct{}

func (indexTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	if hi < lo {
		return nil
	}
	// Labels every step, a 1-2-5 number, at its multiples (0, 200, 400, …);
	// unlabelled minor ticks between them only while they stay sparse.
	step := 1
	for k := 0; (hi-lo+1)/step > 8; k++ {
		step = []int{1, 2, 5}[(k+1)%3] * int(math.Pow10((k+1)/3))
	}
	minor := step
	switch {
	case step%5 == 0:
		minor = step / 5
	case step%2 == 0:
		minor = step / 2
	}
	// A step of 2 labels lo, lo+2, … (1, 3, 5 for indices from 1); larger
	// steps label their multiples and also 1 when the axis starts there
	// (the paper's first token or channel), unless a multiple is too close.
	labelled := func(i int) bool {
		if step == 2 {
			return (i-lo)%2 == 0
		}
		if i%step == 0 {
			return true
		}
		first := (lo + step - 1) / step * step
		return i == 1 && lo == 1 && first-lo >= (step+1)/2
	}
	var ts []plot.Tick
	for i := lo; i <= hi; i++ {
		switch {
		case labelled(i):
			ts = append(ts, plot.Tick{Value: float64(i), Label: fmt.Sprint(i)})
		case i%minor == 0:
			ts = append(ts, plot.Tick{Value: float64(i)})
		}
	}
	return ts
}
