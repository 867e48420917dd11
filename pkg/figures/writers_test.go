package figures

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// echartsTestPath is the bundle installed by `npm ci` at the repository root.
const echartsTestPath = "../../" + DefaultEChartsJS

// needECharts skips tests that write HTML when node_modules is absent.
func needECharts(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(echartsTestPath); err != nil {
		t.Skipf("echarts bundle not installed (%v); run npm ci at the repository root", err)
	}
}

// demoArtifacts is a small registry exercising every writer: a two-panel
// log–log figure with a rule and points, a heatmap, and a table. Its data
// are closed forms, so the test knows what must be written.
func demoArtifacts() []Artifact {
	fig := Artifact{
		ID: "demo-fig", Kind: KindFigure, Title: "Demo figure", PaperRef: "test", Notebook: "notebooks/none.ipynb",
		Scale: ScaleExactTheory, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			var t, y, z []float64
			for k := 0; k <= 40; k++ {
				tt := math.Pow(10, float64(k)/10)
				t = append(t, tt)
				y = append(y, 1/math.Sqrt(tt))
				z = append(z, 0) // must be raised to the floor on the log axis
			}
			env.Step(1, 1)
			return &Result{
				Params:  struct{ N int }{41},
				Caption: "t^(−1/2) on log axes; zeros drawn at the floor 1e−3",
				Figures: []render.Figure{{
					Title: "Demo: μ < 0, S_Δ·x_l(0), √t·|x_1(t)|, S_Cᵀ S_B",
					Panels: []render.Panel{
						{
							Title: "log–log", X: render.Axis{Label: "t", Log: true}, Y: render.Axis{Label: "|x_l(t)|", Log: true, Floor: 1e-3},
							Series: []render.Series{{Name: "t^(−1/2)", X: t, Y: y}, {Name: "zero", X: t, Y: z, Style: render.Dotted, Color: 1},
								{Name: "start", X: t[:1], Y: y[:1], Style: render.Points, Color: 2}},
							Rules: []render.Rule{{Name: "T*", Vertical: true, At: 10, Color: render.ColorGrey}},
						},
						{
							Title: "P^d", X: render.Axis{Label: "j"}, Y: render.Axis{Label: "l"},
							Heat: &render.Heatmap{Label: "P^d_lj", Z: [][]float64{{1, 0, 0}, {-0.5, 2, 0}, {0.25, -1, 3}}},
						},
					},
				}},
			}, nil
		},
	}
	tab := Artifact{
		ID: "demo-tab", Kind: KindTable, Title: "Demo table", PaperRef: "test", Notebook: "notebooks/none.ipynb",
		Scale: ScaleExactTheory, Seed: 2,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			return &Result{Params: map[string]int{"b": 2, "a": 1}, Caption: "A table, with a comma",
				Tables: []render.Table{{Caption: "Scenarios", Columns: []render.Column{{Head: "scenario"}, {Head: "μ", TeX: `$\mu$`, Right: true}},
					Rows: [][]render.Cell{{render.C("convergence, all"), render.CT("−1.000", "$-1.000$")}, {render.C(`quote "x"`), render.C(render.Fixed(-0.0001, 2))}}}}}, nil
		},
	}
	return []Artifact{fig, tab}
}

func TestBuildDemoWritesEveryFormat(t *testing.T) {
	needECharts(t)
	out := t.TempDir()
	rep, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: out, EChartsJS: echartsTestPath, Registry: demoArtifacts()})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"assets/echarts.min.js", "demo-fig.png", "demo-fig.svg", "demo-fig.pdf", "demo-fig.html", "demo-fig.json",
		"demo-tab.csv", "demo-tab.md", "demo-tab.tex", "demo-tab.json", "INDEX.md"}
	if got := strings.Join(rep.Files, " "); got != strings.Join(want, " ") {
		t.Fatalf("files written:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if !bytes.HasPrefix([]byte(read("demo-fig.png")), []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("demo-fig.png is not a PNG")
	}
	svg := read("demo-fig.svg")
	if !strings.Contains(svg, "@font-face") {
		t.Errorf("SVG does not embed its fonts")
	}
	html := read("demo-fig.html")
	for _, s := range []string{`<script src="assets/echarts.min.js"></script>`, "goecharts_demo_fig_0", "goecharts_demo_fig_1", `"type":"log"`} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %q", s)
		}
	}
	if got, want := read("demo-tab.csv"), "scenario,μ\n\"convergence, all\",−1.000\n\"quote \"\"x\"\"\",0.00\n"; got != want {
		t.Errorf("CSV:\n got %q\nwant %q", got, want)
	}
	tex := read("demo-tab.tex")
	for _, s := range []string{`\toprule`, `\midrule`, `\bottomrule`, `scenario & $\mu$ \\`, `convergence, all & $-1.000$ \\`, `\label{tab:demo-tab}`} {
		if !strings.Contains(tex, s) {
			t.Errorf("LaTeX lacks %q:\n%s", s, tex)
		}
	}
	if md := read("demo-tab.md"); !strings.Contains(md, "| scenario | μ |\n|---|---:|\n") {
		t.Errorf("Markdown header wrong:\n%s", md)
	}
	idx := read(IndexFile)
	for _, s := range []string{"`demo-fig`", "[demo-fig.svg](demo-fig.svg)", "[demo-fig.pdf](demo-fig.pdf)", "[demo-tab.tex](demo-tab.tex)", "t^(−1/2) on log axes"} {
		if !strings.Contains(idx, s) {
			t.Errorf("INDEX.md lacks %q", s)
		}
	}
	sc, err := readSidecar(filepath.Join(out, "demo-tab.json"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Seed != 2 || sc.PaperRef != "test" || sc.GoVersion == "" || len(sc.Files) != 3 {
		t.Errorf("sidecar: %+v", sc)
	}
	if !strings.Contains(read("demo-tab.json"), `"parameters": {`+"\n"+`    "a": 1,`) {
		t.Errorf("sidecar parameters not sorted:\n%s", read("demo-tab.json"))
	}
	noCDN(t, out)
}

// noCDN fails when a written file (other than the echarts bundle itself)
// refers to a remote script host.
func noCDN(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "echarts.min.js" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, bad := range []string{"go-echarts.github.io", "cdn.", "jsdelivr", "unpkg", "cdnjs", "<script src=\"http", "<script src=\"//"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s refers to %q", path, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMissingEChartsIsClearError(t *testing.T) {
	_, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: t.TempDir(), EChartsJS: "/nonexistent/echarts.min.js", Registry: demoArtifacts()})
	if err == nil || !strings.Contains(err.Error(), "npm ci") || !strings.Contains(err.Error(), "--echarts") {
		t.Fatalf("got %v, want an error telling how to install echarts", err)
	}
}

func TestSelect(t *testing.T) {
	reg := demoArtifacts()
	for i, test := range []struct {
		ids     []string
		want    string
		wantErr string
	}{
		{nil, "demo-fig demo-tab", ""},
		{[]string{"demo-tab"}, "demo-tab", ""},
		{[]string{"demo-tab", "demo-fig"}, "demo-fig demo-tab", ""},
		{[]string{"nope", "demo-fig", "zap"}, "", "unknown artifact ID(s) nope, zap; valid IDs: demo-fig, demo-tab"},
	} {
		got, err := Select(reg, test.ids)
		if test.wantErr != "" {
			if err == nil || err.Error() != test.wantErr {
				t.Errorf("test %d: got error %v, want %q", i, err, test.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("test %d: %v", i, err)
			continue
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if strings.Join(ids, " ") != test.want {
			t.Errorf("test %d: got %v, want %s", i, ids, test.want)
		}
	}
}

// An artifact that fails leaves the assets and an INDEX.md that lists what
// was built before it, so the pages already written work.
func TestFailedRunLeavesAssetsAndIndex(t *testing.T) {
	needECharts(t)
	reg := demoArtifacts()
	reg[1].Build = func(ctx context.Context, env Env) (*Result, error) { return nil, fmt.Errorf("boom") }
	out := t.TempDir()
	if _, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: out, EChartsJS: echartsTestPath, Registry: reg}); err == nil ||
		!strings.Contains(err.Error(), "demo-tab: boom") {
		t.Fatalf("err = %v, want demo-tab: boom", err)
	}
	if _, err := os.Stat(filepath.Join(out, "assets", "echarts.min.js")); err != nil {
		t.Errorf("assets after a failed run: %v", err)
	}
	idx, err := os.ReadFile(filepath.Join(out, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(idx), "[demo-fig.png](demo-fig.png)") {
		t.Errorf("INDEX.md after a failed run does not list the built figure:\n%s", idx)
	}
	if !strings.Contains(string(idx), "| `demo-tab` | test | exact theory, CPU | [none.ipynb](../notebooks/none.ipynb) | not built |") {
		t.Errorf("INDEX.md does not say the failed table is not built:\n%s", idx)
	}
}
