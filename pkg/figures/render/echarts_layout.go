package render

import (
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Legend layout of the HTML line charts: a plain legend (never paginated)
// below the grid, wrapping onto as many rows as its entries need; the
// chart grows by the extra rows so the data area keeps its size.
const (
	legendRowHeight = 22 // px per legend row
	legendIcon      = 30 // px of an entry before its text (icon and gap)
	legendGap       = 10 // px between entries
	legendCharWidth = 7  // px per character at 12 px, generous so entries never overflow
	legendSideInset = 10 // px left and right of the legend
	axisBandBottom  = 68 // px under the grid for tick labels and the axis name
)

// legendRows is the number of rows a wrapped legend of the given entries
// takes on a chart width px wide (0 when no entry is named).
func legendRows(names []string, width float64) int {
	avail := width - 2*legendSideInset
	rows, line := 0, 0.0
	for _, n := range names {
		if n == "" {
			continue
		}
		w := float64(legendIcon + legendCharWidth*utf8.RuneCountInString(n))
		switch {
		case rows == 0:
			rows, line = 1, w
		case line+legendGap+w > avail:
			rows, line = rows+1, w
		default:
			line += legendGap + w
		}
	}
	return rows
}

// plainLegend is the legend of a line chart with rows rows at the bottom.
func plainLegend(rows int) opts.Legend {
	return opts.Legend{
		Show: opts.Bool(rows > 0), Type: "plain", Orient: "horizontal",
		Left: fmt.Sprint(legendSideInset), Right: fmt.Sprint(legendSideInset), Bottom: "4",
	}
}

// gridBottomFor is the grid's bottom margin for a legend of rows rows.
func gridBottomFor(rows int) int { return axisBandBottom + legendRowHeight*rows }

// logAxisLabelJS formats log-axis tick values as the static figures do:
// plain numbers from 0.001 to 10000 and 1e-7 style beyond, two
// significant digits.
const logAxisLabelJS = `function (v) {
	if (!(v > 0)) { return String(v); }
	var e = Math.floor(Math.log10(v) + 1e-9);
	if (e >= -3 && e <= 4) { return String(Number(v.toPrecision(2))); }
	var m = Number((v / Math.pow(10, e)).toPrecision(2));
	if (m >= 10) { m = 1; e += 1; }
	return String(m) + 'e' + e;
}`

// logAxisLabel is the axis label of a log axis on [lo, hi]. echarts labels
// both ends of the axis besides its decades; an end that is not a power of
// ten ("6e-4" beside "0.001") is left unlabelled when at least two decades
// lie inside, so labels never collide and the axis still reads.
func logAxisLabel(lo, hi float64) *opts.AxisLabel {
	inside := math.Floor(math.Log10(hi)+1e-9) - math.Ceil(math.Log10(lo)-1e-9) + 1
	return &opts.AxisLabel{
		Formatter:    opts.FuncOpts(logAxisLabelJS),
		ShowMinLabel: opts.Bool(isDecade(lo) || inside < 2),
		ShowMaxLabel: opts.Bool(isDecade(hi) || inside < 2),
	}
}

// isDecade reports whether v is a power of ten (to rounding).
func isDecade(v float64) bool {
	e := math.Log10(v)
	return math.Abs(e-math.Round(e)) < 1e-9
}

// logBounds widens [lo, hi] outward to three significant digits: the log
// axis is clamped to the data, not rounded to whole decades.
func logBounds(lo, hi float64) (float64, float64) {
	return roundSigDir(lo, 3, math.Floor), roundSigDir(hi, 3, math.Ceil)
}

func roundSigDir(v float64, sig int, dir func(float64) float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return v
	}
	s := math.Pow(10, float64(sig-1)-math.Floor(math.Log10(v)))
	x := v * s
	if r := math.Round(x); math.Abs(x-r) < 1e-9*x { // already sig digits, up to rounding noise
		x = r
	}
	return RoundSig(dir(x)/s, sig)
}

// visualMapPrecision is the number of decimals that shows the colour
// scale's largest |value| m with three significant digits (echarts rounds
// the handle labels to it: with 0 a scale on ±1e-4 reads "0" and "-0").
func visualMapPrecision(m float64) int {
	if !(m > 0) || math.IsInf(m, 0) {
		return 0
	}
	p := 2 - int(math.Floor(math.Log10(m)))
	return min(max(p, 0), 20)
}

// visualMapPatch is a script line that sets the colour scale's exact range
// and label precision on the chart (go-echarts' VisualMap has no precision
// field and keeps min and max as float32): a JSON option merged by
// setOption after the chart's own.
func visualMapPatch(lo, hi float64) (types.FuncStr, error) {
	patch := map[string]any{"visualMap": []map[string]any{{
		"min": RoundSig(lo, htmlDigits), "max": RoundSig(hi, htmlDigits),
		"precision": visualMapPrecision(math.Max(math.Abs(lo), math.Abs(hi))),
	}}}
	b, err := json.Marshal(patch)
	if err != nil {
		return "", fmt.Errorf("visual map option: %w", err)
	}
	return types.FuncStr("%MY_ECHARTS%.setOption(" + string(b) + ");"), nil
}
