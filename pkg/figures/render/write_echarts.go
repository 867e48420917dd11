package render

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/plot/palette"
)

// AssetsDir is the directory, relative to the HTML files, that holds
// echarts.min.js. The HTML loads the script from there and from nowhere else.
const AssetsDir = "assets"

// HTML draws f as an interactive go-echarts page: one chart per panel,
// each with a fixed chart ID derived from idPrefix (a valid JavaScript
// identifier), and the echarts script loaded from AssetsDir.
func HTML(f *Figure, idPrefix string) (out []byte, err error) {
	defer func() {
		// go-echarts panics when a template fails to execute.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure %q: echarts: %v", f.Name, r)
		}
	}()
	page := components.NewPage()
	page.SetPageTitle(scriptUnicode(f.Title))
	page.SetAssetsHost(AssetsDir + "/")
	page.SetLayout(components.PageFlexLayout)
	pw, ph := f.size()
	init := func(i int) opts.Initialization {
		return opts.Initialization{
			ChartID:    jsIdent(fmt.Sprintf("%s_%d", idPrefix, i)),
			Width:      fmt.Sprintf("%dpx", int(pw*50)),
			Height:     fmt.Sprintf("%dpx", int(ph*50)),
			Renderer:   "svg",
			Theme:      "white",
			PageTitle:  scriptUnicode(f.Title),
			AssetsHost: AssetsDir + "/",
		}
	}
	for i := range f.Panels {
		pn := &f.Panels[i]
		if pn.Heat != nil {
			c, err := heatChart(pn, init(i))
			if err != nil {
				return nil, fmt.Errorf("figure %q panel %d: %w", f.Name, i, err)
			}
			page.AddCharts(c)
		} else {
			page.AddCharts(lineChart(pn, init(i)))
		}
	}
	var b bytes.Buffer
	if err := page.Render(&b); err != nil {
		return nil, fmt.Errorf("figure %q: echarts: %w", f.Name, err)
	}
	out, err = pageText(b.Bytes(), f)
	if err != nil {
		return nil, fmt.Errorf("figure %q: %w", f.Name, err)
	}
	return out, nil
}

// jsIdent maps s to a JavaScript identifier: go-echarts declares
// `let goecharts_<ChartID>`, so only letters, digits and '_' may appear.
func jsIdent(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func axisType(a Axis) string {
	if a.Log {
		return "log"
	}
	return "value"
}

// lineChart draws a line panel as an echarts line chart: its axes
// (lineAxes), a legend of as many rows as the series' names need (the chart
// grows by the extra rows), then its series (addLineSeries).
func lineChart(pn *Panel, init opts.Initialization) *charts.Line {
	c := charts.NewLine()
	var names []string
	for _, s := range pn.drawable() {
		names = append(names, scriptUnicode(s.Name))
	}
	rows := legendRows(names, chartPixels(init.Width))
	gridBottom := gridBottomFor(rows)
	if rows > 1 { // the extra legend rows come on top of the panel's height
		init.Height = fmt.Sprintf("%dpx", int(chartPixels(init.Height))+legendRowHeight*(rows-1))
	}
	xa, ya := lineAxes(pn, init, gridBottom)
	c.SetGlobalOptions(
		charts.WithInitializationOpts(init),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: scriptUnicode(pn.Title), TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithXAxisOpts(xa),
		charts.WithYAxisOpts(ya),
		charts.WithLegendOpts(plainLegend(rows)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: 0}, opts.DataZoom{Type: "inside", YAxisIndex: 0}),
		charts.WithGridOpts(opts.Grid{Left: strconv.Itoa(gridLeft), Right: strconv.Itoa(gridRight),
			Top: strconv.Itoa(gridTop), Bottom: strconv.Itoa(gridBottom)}),
	)
	addLineSeries(c, pn)
	return c
}

// lineAxes are the x and y axes of a line panel on a chart of size init
// whose grid has gridBottom pixels below it: type, label, integer ticks and
// direction as the panel says; fixed ranges (rounded to htmlDigits) when
// the panel sets them or asks for equal aspect, and log axes ending at the
// data.
func lineAxes(pn *Panel, init opts.Initialization, gridBottom int) (opts.XAxis, opts.YAxis) {
	xmin, xmax, ymin, ymax := pn.dataRange()
	xa := opts.XAxis{Type: axisType(pn.X), Name: scriptUnicode(pn.X.Label), NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}
	ya := opts.YAxis{Type: axisType(pn.Y), Name: scriptUnicode(pn.Y.Label), NameLocation: "middle", NameGap: 50, Scale: opts.Bool(true)}
	if pn.X.Integer {
		xa.MinInterval = 1
	}
	if pn.Y.Integer {
		ya.MinInterval = 1
	}
	if pn.X.Invert {
		xa.Inverse = opts.Bool(true)
	}
	if pn.Y.Invert {
		ya.Inverse = opts.Bool(true)
	}
	if pn.EqualAspect {
		// The grid below is the chart less the margins; echarts keeps min
		// and max as given.
		w, h := chartPixels(init.Width)-gridLeft-gridRight, chartPixels(init.Height)-gridTop-float64(gridBottom)
		xmin, xmax, ymin, ymax = equalize(xmin, xmax, ymin, ymax, w, h)
	}
	if pn.X.Min < pn.X.Max || pn.EqualAspect {
		xa.Min, xa.Max = RoundSig(xmin, htmlDigits), RoundSig(xmax, htmlDigits)
		xa.Scale = opts.Bool(false)
	}
	if pn.Y.Min < pn.Y.Max || pn.EqualAspect {
		ya.Min, ya.Max = RoundSig(ymin, htmlDigits), RoundSig(ymax, htmlDigits)
		ya.Scale = opts.Bool(false)
	}
	// Log axes end at the data (echarts would round out to whole decades)
	// and read 1e-7, not 1e-7 written out as 0.0000001.
	if pn.X.Log {
		lo, hi := logBounds(xmin, xmax)
		xa.Min, xa.Max, xa.Scale, xa.AxisLabel = lo, hi, opts.Bool(false), logAxisLabel(lo, hi)
	}
	if pn.Y.Log {
		lo, hi := logBounds(ymin, ymax)
		ya.Min, ya.Max, ya.Scale, ya.AxisLabel = lo, hi, opts.Bool(false), logAxisLabel(lo, hi)
	}
	return xa, ya
}

// addLineSeries adds the panel's drawable series to c in order: lines
// (solid, dashed, dotted) as line series, point series as one scatter
// chart overlapped on c, every value rounded to htmlDigits.
func addLineSeries(c *charts.Line, pn *Panel) {
	var scatter *charts.Scatter
	for _, s := range pn.drawable() {
		col := colorHex(s.Color)
		if s.Style == Points {
			if scatter == nil {
				scatter = charts.NewScatter()
			}
			data := make([]opts.ScatterData, len(s.X))
			for k := range s.X {
				data[k] = opts.ScatterData{Value: []float64{RoundSig(s.X[k], htmlDigits), RoundSig(s.Y[k], htmlDigits)}}
			}
			scatter.AddSeries(scriptUnicode(s.Name), data,
				charts.WithItemStyleOpts(opts.ItemStyle{Color: col}),
				charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 7}))
			continue
		}
		data := make([]opts.LineData, len(s.X))
		for k := range s.X {
			data[k] = opts.LineData{Value: []float64{RoundSig(s.X[k], htmlDigits), RoundSig(s.Y[k], htmlDigits)}}
		}
		ls := opts.LineStyle{Color: col, Width: lineWidth * 1.5}
		switch s.Style {
		case Dashed:
			ls.Type = "dashed"
		case Dotted:
			ls.Type = "dotted"
		}
		c.AddSeries(scriptUnicode(s.Name), data,
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
			charts.WithLineStyleOpts(ls),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: col}))
	}
	if scatter != nil {
		c.Overlap(scatter)
	}
}

// The line charts' grid margins in pixels; the bottom one depends on the
// legend (gridBottomFor).
const gridLeft, gridRight, gridTop = 70, 30, 50

// chartPixels reads a "440px" chart size.
func chartPixels(s string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
	return v
}

func heatChart(pn *Panel, init opts.Initialization) (*charts.HeatMap, error) {
	h := pn.Heat
	nr, nc := len(h.Z), len(h.Z[0])
	// Categories are numbered from 1 (tokens, channels, patches as in the
	// paper); the data refer to them by 0-based category index.
	cols := make([]string, nc)
	for i := range cols {
		cols[i] = strconv.Itoa(i + 1)
	}
	rows := make([]string, nr)
	for i := range rows {
		rows[i] = strconv.Itoa(i + 1)
	}
	data := make([]opts.HeatMapData, 0, nr*nc)
	for r := range h.Z {
		for c, v := range h.Z[r] {
			data = append(data, opts.HeatMapData{Value: []any{c, r, RoundSig(v, htmlDigits)}})
		}
	}
	cm, lo, hi := heatColorMap(h)
	patch, err := visualMapPatch(lo, hi)
	if err != nil {
		return nil, err
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(init),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: scriptUnicode(pn.Title), TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Name: scriptUnicode(pn.X.Label), NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows, Name: scriptUnicode(pn.Y.Label), NameLocation: "middle", NameGap: 35, Inverse: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		// One series named by the colour bar already: echarts' default
		// legend would only repeat it over the panel title.
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(true),
			Min: float32(RoundSig(lo, htmlDigits)), Max: float32(RoundSig(hi, htmlDigits)),
			Text:  []string{scriptUnicode(h.Label), ""},
			Right: "0", Top: "middle",
			InRange: &opts.VisualMapInRange{Color: hexStops(cm, lo, hi, 11)},
		}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "90", Top: "50", Bottom: "50"}),
	)
	c.AddSeries(scriptUnicode(pn.Heat.Label), data)
	c.AddJSFuncStrs(patch)
	return c, nil
}

// hexStops samples the static figures' colour map at n evenly spaced
// values of [lo, hi], so that the interactive heatmap uses the same colours.
func hexStops(cm palette.ColorMap, lo, hi float64, n int) []string {
	out := make([]string, n)
	for i := range out {
		v := lo + (hi-lo)*float64(i)/float64(n-1)
		col, err := cm.At(v)
		if err != nil {
			col = color.Gray{Y: 128}
		}
		r, g, b, _ := col.RGBA()
		out[i] = fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	}
	return out
}
