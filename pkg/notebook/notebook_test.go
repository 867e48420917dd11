package notebook

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func testChart() *charts.Line {
	line := charts.NewLine()
	line.SetGlobalOptions(charts.WithInitializationOpts(opts.Initialization{ChartID: "test_chart", Width: "400px", Height: "300px"}))
	line.SetXAxis([]int{1, 2, 3}).AddSeries("y", []opts.LineData{{Value: 1.0}, {Value: 4.0}, {Value: 9.0}})
	return line
}

func TestChartHTMLIsSelfContainedAndDeterministic(t *testing.T) {
	a, err := ChartHTML(testChart())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ChartHTML(testChart())
	if a != b {
		t.Fatal("two renders of the same chart differ")
	}
	for _, want := range []string{`id="test_chart"`, "setOption(option)", `{"value":9}`} {
		if !strings.Contains(strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("chart HTML lacks %q:\n%s", want, a)
		}
	}
	if strings.Contains(a, "http://") || strings.Contains(a, "https://") {
		t.Errorf("chart HTML references a URL:\n%s", a)
	}
	if strings.Contains(a, "let goecharts_") {
		t.Error("chart HTML keeps go-echarts' top-level let declarations, which break re-execution")
	}
}

func TestLoadEChartsHTMLInlinesTheBundle(t *testing.T) {
	if _, err := FindECharts(); err != nil {
		t.Skipf("ECharts not installed (run make setup): %v", err)
	}
	h, err := LoadEChartsHTML()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) < 500_000 || !strings.Contains(h, "window.define = undefined") {
		t.Fatalf("loader HTML is %d bytes or does not hide AMD define", len(h))
	}
	if strings.Contains(h, "<script src=") {
		t.Fatal("loader references an external script")
	}
}

func TestPlotRenderers(t *testing.T) {
	p := plot.New()
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	b, err := PNG(p, 4*vg.Inch, 3*vg.Inch, 96)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Dx(); got != 384 {
		t.Errorf("PNG width %d px, want 384 (4 in at 96 dpi)", got)
	}
	s, err := SVG(p, 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(s), "<?xml") || !strings.Contains(s, "@font-face") {
		t.Errorf("SVG is not a document with embedded fonts (first bytes %q)", s[:min(len(s), 80)])
	}
	if _, err := PNG(nil, vg.Inch, vg.Inch, 96); err == nil {
		t.Error("nil plot: want an error")
	}
}
