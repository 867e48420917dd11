package render

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// chartOptions extracts the echarts option object of every chart on a
// go-echarts page, decoded as JSON; the log-axis label function (the one
// piece of JavaScript in it) reads as the string "LOG_AXIS_LABEL".
func chartOptions(t *testing.T, html []byte) []map[string]any {
	t.Helper()
	re := regexp.MustCompile(`(?m)let option_\w+ = (\{.*\})\s*$`)
	fn := strings.NewReplacer("\n", "", "\t", "").Replace(logAxisLabelJS)
	var out []map[string]any
	for _, m := range re.FindAllSubmatch(html, -1) {
		var o map[string]any
		js := strings.ReplaceAll(string(m[1]), fn, `"LOG_AXIS_LABEL"`)
		if err := json.Unmarshal([]byte(js), &o); err != nil {
			t.Fatalf("option is not JSON: %v", err)
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		t.Fatal("no chart option on the page")
	}
	return out
}

// Heat maps number rows and columns from 1, as the paper numbers tokens and
// channels: the static axes span [0.5, n+0.5] with the cell of Z[r][c]
// centred on (c+1, r+1) and no label "0"; the HTML categories are "1" … "n".
func TestHeatmapIndicesStartAtOne(t *testing.T) {
	const nr, nc = 3, 5
	z := make([][]float64, nr)
	for r := range z {
		z[r] = make([]float64, nc)
		for c := range z[r] {
			z[r][c] = float64(10*r + c)
		}
	}
	pn := &Panel{Title: "P", X: Axis{Label: "source token j"}, Y: Axis{Label: "target token l"}, Heat: &Heatmap{Z: z, Label: "P"}}
	p, _, err := buildPlot(pn)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0.5 || p.X.Max != nc+0.5 || p.Y.Min != 0.5 || p.Y.Max != nr+0.5 {
		t.Errorf("static axes [%v, %v] × [%v, %v], want [0.5, %d.5] × [0.5, %d.5]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max, nc, nr)
	}
	for _, ax := range []struct {
		name     string
		min, max float64
		n        int
		ticks    func(float64, float64) []string
	}{
		{"x", p.X.Min, p.X.Max, nc, func(a, b float64) []string { return tickLabels(p.X.Tick.Marker.Ticks(a, b)) }},
		{"y", p.Y.Min, p.Y.Max, nr, func(a, b float64) []string { return tickLabels(p.Y.Tick.Marker.Ticks(a, b)) }},
	} {
		labels := ax.ticks(ax.min, ax.max)
		if len(labels) != ax.n || labels[0] != "1" {
			t.Errorf("static %s labels %v, want 1 … %d", ax.name, labels, ax.n)
		}
	}
	hm := plotter.NewHeatMap(matrixGrid{z}, nil) // the grid addHeatmap draws
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if hm.GridXYZ.X(c) != float64(c+1) || hm.GridXYZ.Y(r) != float64(r+1) || hm.GridXYZ.Z(c, r) != z[r][c] {
				t.Fatalf("cell (%d,%d) at (%v, %v) holds %v, want (%d, %d) holding %v",
					r, c, hm.GridXYZ.X(c), hm.GridXYZ.Y(r), hm.GridXYZ.Z(c, r), c+1, r+1, z[r][c])
			}
		}
	}

	html, err := HTML(&Figure{Name: "h", Panels: []Panel{*pn}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	o := chartOptions(t, html)[0]
	for _, ax := range []struct {
		key string
		n   int
	}{{"xAxis", nc}, {"yAxis", nr}} {
		data := o[ax.key].([]any)[0].(map[string]any)["data"].([]any)
		var got []string
		for _, d := range data {
			got = append(got, d.(string))
		}
		want := make([]string, ax.n)
		for i := range want {
			want[i] = string(rune('1' + i))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("HTML %s categories %v, want %v", ax.key, got, want)
		}
	}
}

func tickLabels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}
