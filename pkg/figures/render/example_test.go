package render_test

import (
	"bytes"
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// One panel, two series, drawn as PNG, SVG and PDF (gonum/plot) and as an
// interactive ECharts page; and a table as Markdown.
func Example() {
	x := []float64{1, 2, 4, 8, 16}
	y := []float64{1, 0.71, 0.5, 0.35, 0.25}
	f := &render.Figure{Title: "x(t) ~ t^-1/2", Panels: []render.Panel{{
		X: render.Axis{Label: "t", Log: true}, Y: render.Axis{Label: "|x(t)|", Log: true},
		Series: []render.Series{{Name: "simulated", X: x, Y: y, Style: render.Points},
			{Name: "t^-1/2", X: x, Y: []float64{1, 0.707, 0.5, 0.354, 0.25}, Style: render.Dashed, Color: 1}},
	}}}
	png, svg, pdf, err := render.StaticAll(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	html, err := render.HTML(f, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.HasPrefix(png, []byte("\x89PNG")), bytes.Contains(svg, []byte("<svg")), bytes.HasPrefix(pdf, []byte("%PDF")),
		bytes.Contains(html, []byte("echarts")))

	t := &render.Table{Columns: []render.Column{{Head: "t", Right: true}, {Head: "|x|", Right: true}},
		Rows: [][]render.Cell{{render.C("1"), render.C("1.00")}, {render.C("4"), render.C("0.50")}}}
	fmt.Print(string(t.Markdown()))
	// Output:
	// true true true true
	// | t | &#124;x&#124; |
	// |---:|---:|
	// | 1 | 1.00 |
	// | 4 | 0.50 |
}
