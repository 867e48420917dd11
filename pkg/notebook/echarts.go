package notebook

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/go-echarts/go-echarts/v2/render"
)

// EChartsRelPath is where npm installs the ECharts bundle, relative to the
// repository root.
const EChartsRelPath = "node_modules/echarts/dist/echarts.min.js"

// FindECharts returns the path of echarts.min.js: $TOKENDYN_ECHARTS when set,
// else the first node_modules copy found walking up from the working
// directory, else the one beside this module's source tree.
func FindECharts() (string, error) {
	if p := os.Getenv("TOKENDYN_ECHARTS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("notebook: TOKENDYN_ECHARTS=%s: %w", p, err)
		}
		return p, nil
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		for d := dir; ; d = filepath.Dir(d) {
			p := filepath.Join(d, EChartsRelPath)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", fmt.Errorf("notebook: %s not found above %v; run `make setup` (it runs npm ci) or set TOKENDYN_ECHARTS", EChartsRelPath, starts)
}

// LoadEChartsHTML returns HTML that defines window.echarts by inlining the
// ECharts bundle. Display it once per notebook, before the first chart.
//
// Jupyter's classic notebook and nbconvert's HTML export both load RequireJS,
// and the ECharts UMD bundle would then register itself as an anonymous AMD
// module instead of a global; the AMD define is therefore hidden while the
// bundle runs and restored afterwards.
func LoadEChartsHTML() (string, error) {
	p, err := FindECharts()
	if err != nil {
		return "", err
	}
	src, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("notebook: read ECharts bundle: %w", err)
	}
	if len(src) == 0 || !strings.Contains(string(src[:min(len(src), 4096)]), "echarts") {
		return "", fmt.Errorf("notebook: %s does not look like the ECharts bundle", p)
	}
	if strings.Contains(string(src), "</script") {
		return "", errors.New("notebook: ECharts bundle contains a closing script tag; cannot inline it")
	}
	var b strings.Builder
	b.WriteString("<script>window.__tokendyn_define = window.define; window.define = undefined;</script>\n")
	b.WriteString("<script>")
	b.Write(src)
	b.WriteString("</script>\n")
	b.WriteString("<script>window.define = window.__tokendyn_define;</script>\n")
	b.WriteString("<div style=\"font-size:smaller;color:#666\">ECharts loaded locally from npm (" + EChartsRelPath + ")</div>\n")
	return b.String(), nil
}

// ChartHTML renders a go-echarts chart (any chart of charts.*) as a div plus
// a self-contained script. The script is wrapped in a function, so running a
// cell again does not redeclare variables, and it waits for window.echarts.
// Set a fixed ChartID with charts.WithInitializationOpts so that output is
// deterministic. Event listeners and JS functions of the chart are not
// carried over: only its option JSON is.
func ChartHTML(c interface{ RenderSnippet() render.ChartSnippet }) (string, error) {
	s := c.RenderSnippet()
	id := chartID(s.Element)
	if id == "" {
		return "", errors.New("notebook: chart snippet has no element id")
	}
	var probe any
	if err := json.Unmarshal([]byte(s.Option), &probe); err != nil {
		return "", fmt.Errorf("notebook: chart %s: option is not plain JSON (JS functions are not supported here): %w", id, err)
	}
	idJSON, _ := json.Marshal(id)
	return s.Element + "\n<script>(function () {\n" +
		"  var id = " + string(idJSON) + ", option = " + strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s.Option), ";")) + ";\n" +
		"  function draw() {\n" +
		"    if (typeof window.echarts === 'undefined') { setTimeout(draw, 50); return; }\n" +
		"    var el = document.getElementById(id);\n" +
		"    var old = window.echarts.getInstanceByDom(el); if (old) { old.dispose(); }\n" +
		"    window.echarts.init(el, null, {renderer: 'svg'}).setOption(option);\n" +
		"  }\n" +
		"  draw();\n" +
		"})();</script>\n", nil
}

// chartID extracts the id attribute of the chart's div.
func chartID(element string) string {
	const key = `id="`
	i := strings.Index(element, key)
	if i < 0 {
		return ""
	}
	rest := element[i+len(key):]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return rest[:j]
}
