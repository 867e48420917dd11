package figures

import "github.com/tokendyn/tokendyn/pkg/figures/render"

// The figure and table model lives in pkg/figures/render, which pkg/notebook
// imports without the registry's training stack. The registry's artifacts
// describe their results with these names.
type (
	Figure  = render.Figure
	Panel   = render.Panel
	Axis    = render.Axis
	Style   = render.Style
	Series  = render.Series
	Rule    = render.Rule
	Heatmap = render.Heatmap
	Table   = render.Table
	Column  = render.Column
	Cell    = render.Cell
)

// Series styles and named colours (render.Solid, ...).
const (
	Solid  = render.Solid
	Dashed = render.Dashed
	Dotted = render.Dotted
	Points = render.Points

	ColorBlack = render.ColorBlack
	ColorGrey  = render.ColorGrey
)

// AssetsDir is the directory, relative to the HTML files, that holds
// echarts.min.js.
const AssetsDir = render.AssetsDir

// C returns a table cell with the same text in every format.
func C(s string) Cell { return render.C(s) }

// CT returns a table cell with a separate LaTeX form (math, symbols).
func CT(text, tex string) Cell { return render.CT(text, tex) }

// Fixed formats v with prec digits after the point (render.Fixed).
func Fixed(v float64, prec int) string { return render.Fixed(v, prec) }

// Sci formats v in scientific notation with prec digits after the point.
func Sci(v float64, prec int) string { return render.Sci(v, prec) }

// Band draws a seed band: the mean solid, min and max dotted (render.Band).
func Band(name string, x, mean, lo, hi []float64, color int) []Series {
	return render.Band(name, x, mean, lo, hi, color)
}

// roundSig, signed and short are render's number formats under the names the
// artifacts use.
func roundSig(v float64, sig int) float64 { return render.RoundSig(v, sig) }
func signed(v float64) string             { return render.Signed(v) }
func short(v float64) string              { return render.Short(v) }

// nums rounds numbers for Cell.Num to the digits the cell text shows
// (render.Nums).
func nums(prec int, v ...float64) []float64 { return render.Nums(prec, v...) }
