package render

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func lineFigure(names []string, x, y Axis, xs, ys []float64) *Figure {
	pn := Panel{Title: "P", X: x, Y: y}
	for _, n := range names {
		pn.Series = append(pn.Series, Series{Name: n, X: xs, Y: ys})
	}
	return &Figure{Name: "l", Panels: []Panel{pn}}
}

func divSize(t *testing.T, html []byte) (w, h float64) {
	t.Helper()
	m := regexp.MustCompile(`style="width:(\d+)px;height:(\d+)px;"`).FindSubmatch(html)
	if m == nil {
		t.Fatal("no chart div size")
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	return w, h
}

// The legend is a plain one (echarts wraps it; "scroll" paginated and cut
// entries) below the grid, and the bottom margin and chart height grow with
// its rows: at least as many rows as the entries' total width needs.
func TestHTMLLegendNeverPaginated(t *testing.T) {
	short := lineFigure([]string{"a"}, Axis{}, Axis{}, []float64{0, 1}, []float64{0, 1})
	var long []string
	for i := 0; i < 8; i++ {
		long = append(long, fmt.Sprintf("token %d: (2|μ| ln 2)^(−1/2) limit, our derivation", i+1))
	}
	many := lineFigure(long, Axis{}, Axis{}, []float64{0, 1}, []float64{0, 1})
	var h1 float64
	for _, tc := range []struct {
		f       *Figure
		minRows int
	}{{short, 1}, {many, 0}} {
		html, err := HTML(tc.f, "l")
		if err != nil {
			t.Fatal(err)
		}
		o := chartOptions(t, html)[0]
		lg := o["legend"].(map[string]any)
		if lg["type"] != "plain" || lg["bottom"] == nil || lg["show"] != true {
			t.Errorf("legend %v, want a shown plain legend at the bottom", lg)
		}
		w, h := divSize(t, html)
		total := 0.0
		for _, s := range tc.f.Panels[0].Series {
			total += float64(legendIcon+legendCharWidth*len([]rune(s.Name))) + legendGap
		}
		need := max(tc.minRows, int(math.Ceil(total/(w-2*legendSideInset))))
		bottom, _ := strconv.Atoi(o["grid"].([]any)[0].(map[string]any)["bottom"].(string))
		if bottom < axisBandBottom+legendRowHeight*need {
			t.Errorf("%d legend entries: grid bottom %d px, want room for at least %d rows (%d px)",
				len(tc.f.Panels[0].Series), bottom, need, axisBandBottom+legendRowHeight*need)
		}
		if tc.f == short {
			h1 = h
		} else if need > 1 && h < h1+float64(legendRowHeight*(need-1)) {
			t.Errorf("chart height %v with %d legend rows, want ≥ %v (one-row chart %v)", h, need, h1+float64(legendRowHeight*(need-1)), h1)
		}
	}
}

// A heat map has no legend: its one series is named by the colour bar, and
// echarts' default legend sat on the panel title.
func TestHTMLHeatmapHasNoLegend(t *testing.T) {
	html, err := HTML(&Figure{Name: "h", Panels: []Panel{{Title: "a long panel title", Heat: &Heatmap{Z: [][]float64{{1, 2}}, Label: "P^d_lj"}}}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	if lg, _ := chartOptions(t, html)[0]["legend"].(map[string]any); lg == nil || lg["show"] != false {
		t.Errorf("heat map legend %v, want show: false", lg)
	}
}

// A log axis spans the data (not whole decades) and its labels read 1e-7.
func TestHTMLLogAxisClampedAndLabelled(t *testing.T) {
	xs, ys := []float64{1.234e-7, 3e-4, 0.5}, []float64{2e-9, 1, 45.6}
	f := lineFigure([]string{"a"}, Axis{Log: true}, Axis{Log: true}, xs, ys)
	html, err := HTML(f, "l")
	if err != nil {
		t.Fatal(err)
	}
	o := chartOptions(t, html)[0]
	for _, ax := range []struct {
		key    string
		lo, hi float64
	}{{"xAxis", xs[0], xs[2]}, {"yAxis", ys[0], ys[2]}} {
		a := o[ax.key].([]any)[0].(map[string]any)
		lo, _ := a["min"].(float64)
		hi, _ := a["max"].(float64)
		if !(lo <= ax.lo && lo >= ax.lo*0.99 && hi >= ax.hi && hi <= ax.hi*1.01) {
			t.Errorf("%s range [%v, %v], want the data's [%v, %v] within 1 %%", ax.key, lo, hi, ax.lo, ax.hi)
		}
		if a["axisLabel"].(map[string]any)["formatter"] != "LOG_AXIS_LABEL" {
			t.Errorf("%s has no log label formatter", ax.key)
		}
	}

	// An end that is not a decade is unlabelled when two decades lie inside
	// (no "6e-4" on top of "0.001"), labelled otherwise.
	for _, tc := range []struct {
		lo, hi   float64
		min, max bool
	}{{1.234e-7, 0.5, false, false}, {1e-3, 1e6, true, true}, {6e-4, 1.3, false, false}, {2, 5, true, true}, {0.3, 10, false, true}, {0.3, 3, true, true}} {
		l := logAxisLabel(tc.lo, tc.hi)
		if *l.ShowMinLabel != tc.min || *l.ShowMaxLabel != tc.max {
			t.Errorf("log axis [%v, %v]: end labels shown %v, %v; want %v, %v", tc.lo, tc.hi, *l.ShowMinLabel, *l.ShowMaxLabel, tc.min, tc.max)
		}
	}

	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH: the label function is not evaluated")
	}
	cases := map[float64]string{1e-7: "1e-7", 1.234e-7: "1.2e-7", 9.996e-8: "1e-7", 1e-3: "0.001", 0.5: "0.5",
		1: "1", 10: "10", 45.6: "46", 1e5: "1e5", 2e-9: "2e-9"}
	var vals []string
	for v := range cases {
		vals = append(vals, strconv.FormatFloat(v, 'g', -1, 64))
	}
	script := "const f = " + logAxisLabelJS + ";\nfor (const v of [" + strings.Join(vals, ",") + "]) console.log(v + ' ' + f(v));\n"
	out, err := exec.Command(node, "-e", script).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		v, label, _ := strings.Cut(line, " ")
		x, _ := strconv.ParseFloat(v, 64)
		if want := cases[x]; label != want {
			t.Errorf("label of %v is %q, want %q", x, label, want)
		}
	}
}

// The colour scale's handles are labelled with three significant digits of
// its range (echarts' default precision 0 printed "0" and "-0" for ±1.5e-4),
// and the range is exact (not go-echarts' float32).
func TestHTMLVisualMapPrecision(t *testing.T) {
	for _, z := range [][][]float64{{{-1.5e-4, 0}, {2e-5, 1.2e-4}}, {{0, 0.25}, {3.7, 1}}, {{0, 350}, {12, 1}}} {
		h := &Heatmap{Z: z, Label: "P"}
		lo, hi, _ := h.colorRange()
		html, err := HTML(&Figure{Name: "h", Panels: []Panel{{Title: "h", Heat: h}}}, "h")
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`goecharts_h_0\.setOption\((\{"visualMap".*\})\);`).FindSubmatch(html)
		if m == nil {
			t.Fatal("no visual map option on the page")
		}
		var patch struct {
			VisualMap []struct {
				Min, Max  float64
				Precision int
			}
		}
		if err := json.Unmarshal(m[1], &patch); err != nil {
			t.Fatal(err)
		}
		vm := patch.VisualMap[0]
		if vm.Min != lo || vm.Max != hi {
			t.Errorf("visual map range [%v, %v], want [%v, %v]", vm.Min, vm.Max, lo, hi)
		}
		for _, v := range []float64{lo, hi} {
			if v == 0 {
				continue
			}
			s := strconv.FormatFloat(v, 'f', vm.Precision, 64)
			got, _ := strconv.ParseFloat(s, 64)
			digits := len(strings.TrimLeft(strings.NewReplacer("-", "", ".", "").Replace(s), "0"))
			if math.Abs(got-v) > 0.005*math.Abs(v) || digits < 3 {
				t.Errorf("range end %v with precision %d reads %q: want 3 significant digits", v, vm.Precision, s)
			}
		}
	}
}

// Every script of a page parses as JavaScript (the formatter and the
// visual-map patch are spliced in as code).
func TestHTMLScriptsParse(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH")
	}
	f := lineFigure([]string{"a", "b"}, Axis{Log: true}, Axis{Log: true}, []float64{1e-7, 1}, []float64{1e-3, 2})
	f.Panels = append(f.Panels, Panel{Title: "h", Heat: &Heatmap{Z: [][]float64{{-1e-4, 2e-4}}, Label: "P"}})
	html, err := HTML(f, "s")
	if err != nil {
		t.Fatal(err)
	}
	scripts := regexp.MustCompile(`(?s)<script type="text/javascript">(.*?)</script>`).FindAllSubmatch(html, -1)
	if len(scripts) != 2 {
		t.Fatalf("%d scripts, want 2", len(scripts))
	}
	dir := t.TempDir()
	for i, s := range scripts {
		p := filepath.Join(dir, fmt.Sprintf("s%d.js", i))
		if err := os.WriteFile(p, s[1], 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", p).CombinedOutput(); err != nil {
			t.Errorf("script %d does not parse: %v\n%s", i, err, out)
		}
	}
}
