package notebook

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Slider is one control of a SliderChart: a name (LaTeX-free, shown as is),
// the values it steps through, and the index shown first.
type Slider struct {
	Name    string
	Values  []float64
	Initial int
}

// Line is one series of a SliderChart frame; X and Y have equal lengths.
type Line struct {
	Name string
	X, Y []float64
}

// SliderChart is a line chart precomputed for every combination of its
// sliders' values. Moving a slider swaps the series in the browser, with no
// kernel: the chart keeps working in the exported HTML of an executed
// notebook, where GoNB widgets cannot.
//
// Frame is called once per combination, with one index per slider (in the
// order of Sliders). Points that cannot be drawn (non-finite, or ≤ 0 on a log
// axis) are dropped; |y| above YCap (when > 0) is clipped so that a blow-up
// stays on the chart.
type SliderChart struct {
	ID, Title    string
	XName, YName string
	LogX, LogY   bool
	YCap         float64
	Sliders      []Slider
	Frame        func(idx []int) ([]Line, error)
	// Caption, when set, gives a line of text shown under the title for
	// each frame (for example the scenario that the parameters fall in).
	Caption func(idx []int) string
}

// frameKey joins slider indices as the JavaScript side does.
func frameKey(idx []int) string {
	s := make([]string, len(idx))
	for i, v := range idx {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "-")
}

// HTML renders the chart: a div, one range input per slider, and a script
// holding every frame. It needs window.echarts (LoadEChartsHTML) and is
// deterministic for deterministic frames.
func (c SliderChart) HTML() (string, error) {
	total, err := c.frameCount()
	if err != nil {
		return "", err
	}
	frames, captions, err := c.allFrames(total)
	if err != nil {
		return "", err
	}
	captionsJSON, err := json.Marshal(captions)
	if err != nil {
		return "", fmt.Errorf("notebook: encode captions: %w", err)
	}
	framesJSON, err := json.Marshal(frames) // map keys are sorted: deterministic
	if err != nil {
		return "", fmt.Errorf("notebook: encode frames: %w", err)
	}
	return c.page(framesJSON, captionsJSON), nil
}

// frameCount checks the chart's ID, sliders and Frame function and returns
// how many frames it has: the product of the sliders' numbers of values, at
// most 2000.
func (c SliderChart) frameCount() (int, error) {
	if c.ID == "" || strings.ContainsAny(c.ID, "\"'<> ") {
		return 0, fmt.Errorf("notebook: slider chart needs a plain ID, got %q", c.ID)
	}
	if len(c.Sliders) == 0 || c.Frame == nil {
		return 0, errors.New("notebook: slider chart needs sliders and a Frame function")
	}
	total := 1
	for _, s := range c.Sliders {
		if len(s.Values) == 0 || s.Initial < 0 || s.Initial >= len(s.Values) {
			return 0, fmt.Errorf("notebook: slider %q has %d values and initial index %d", s.Name, len(s.Values), s.Initial)
		}
		total *= len(s.Values)
	}
	if total > 2000 {
		return 0, fmt.Errorf("notebook: slider chart has %d frames, more than 2000", total)
	}
	return total, nil
}

// sliderSeries is one line of a frame as the JavaScript side reads it.
type sliderSeries struct {
	Name string       `json:"name"`
	Data [][2]float64 `json:"data"`
}

// allFrames calls Frame (then Caption, when set) for each of the total
// combinations of slider indices, the last slider varying fastest, and
// returns the frames' series and captions keyed by frameKey.
func (c SliderChart) allFrames(total int) (map[string][]sliderSeries, map[string]string, error) {
	frames := make(map[string][]sliderSeries, total)
	captions := make(map[string]string, total)
	idx := make([]int, len(c.Sliders))
	for n := 0; n < total; n++ {
		rem := n
		for i := len(c.Sliders) - 1; i >= 0; i-- {
			idx[i] = rem % len(c.Sliders[i].Values)
			rem /= len(c.Sliders[i].Values)
		}
		lines, err := c.Frame(append([]int(nil), idx...))
		if err != nil {
			return nil, nil, fmt.Errorf("notebook: slider chart frame %v: %w", idx, err)
		}
		var ss []sliderSeries
		for _, l := range lines {
			s, err := c.series(l)
			if err != nil {
				return nil, nil, err
			}
			ss = append(ss, s)
		}
		frames[frameKey(idx)] = ss
		if c.Caption != nil {
			captions[frameKey(idx)] = c.Caption(idx)
		}
	}
	return frames, captions, nil
}

// series converts one line of a frame: |y| above YCap is clipped, points
// that cannot be drawn (non-finite, ≤ 0 on a log axis) are dropped, and the
// rest are rounded to 5 significant digits.
func (c SliderChart) series(l Line) (sliderSeries, error) {
	if len(l.X) != len(l.Y) {
		return sliderSeries{}, fmt.Errorf("notebook: line %q has %d x and %d y values", l.Name, len(l.X), len(l.Y))
	}
	s := sliderSeries{Name: l.Name, Data: [][2]float64{}}
	for i := range l.X {
		x, y := l.X[i], l.Y[i]
		if c.YCap > 0 && math.Abs(y) > c.YCap {
			y = math.Copysign(c.YCap, y)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) ||
			(c.LogX && x <= 0) || (c.LogY && y <= 0) {
			continue
		}
		s.Data = append(s.Data, [2]float64{round4(x), round4(y)})
	}
	return s, nil
}

// page writes the chart's HTML: the controls' div, the chart's div, and the
// script with the sliders, the encoded frames and captions, the axes and
// the title, followed by sliderScript.
func (c SliderChart) page(framesJSON, captionsJSON []byte) string {
	type sliderJS struct {
		Name    string    `json:"name"`
		Values  []float64 `json:"values"`
		Initial int       `json:"initial"`
	}
	var sl []sliderJS
	for _, s := range c.Sliders {
		sl = append(sl, sliderJS{s.Name, s.Values, s.Initial})
	}
	slJSON, _ := json.Marshal(sl)
	title, _ := json.Marshal(c.Title)
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s_controls" style="font-family:sans-serif;font-size:13px"></div>`+"\n", c.ID)
	fmt.Fprintf(&b, `<div id="%s" style="width:760px;height:420px"></div>`+"\n", c.ID)
	fmt.Fprintf(&b, "<script>(function () {\n  var id = %q, sliders = %s, frames = %s, captions = %s;\n", c.ID, slJSON, framesJSON, captionsJSON)
	fmt.Fprintf(&b, "  var xAxis = %s, yAxis = %s, title = %s;\n", sliderAxis(c.XName, c.LogX), sliderAxis(c.YName, c.LogY), title)
	b.WriteString(sliderScript)
	return b.String()
}

// sliderAxis is the echarts option of one axis: linear or log, named at
// its middle.
func sliderAxis(name string, log bool) string {
	t := "value"
	if log {
		t = "log"
	}
	b, _ := json.Marshal(map[string]any{"type": t, "name": name, "nameLocation": "middle", "nameGap": 28})
	return string(b)
}

// sliderScript is the rest of the chart's script: it draws the frame of
// the sliders' current positions and builds one range input per slider,
// redrawing as it moves.
const sliderScript = `  var pos = sliders.map(function (s) { return s.initial; });
  function key() { return pos.join("-"); }
  function option() {
    return {title: {text: title, subtext: captions[key()] || "", left: "center", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis"}, legend: {top: 44}, grid: {top: 80, left: 70, right: 30, bottom: 50},
      xAxis: xAxis, yAxis: yAxis, animation: false,
      series: frames[key()].map(function (s) { return {name: s.name, type: "line", showSymbol: false, data: s.data}; })};
  }
  function draw() {
    if (typeof window.echarts === "undefined") { setTimeout(draw, 50); return; }
    var el = document.getElementById(id);
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, {renderer: "svg"});
    chart.setOption(option(), {notMerge: true});
  }
  var controls = document.getElementById(id + "_controls");
  controls.innerHTML = "";
  sliders.forEach(function (s, i) {
    var row = document.createElement("div");
    var label = document.createElement("span");
    label.style.display = "inline-block"; label.style.width = "170px";
    var input = document.createElement("input");
    input.type = "range"; input.min = 0; input.max = s.values.length - 1; input.step = 1; input.value = s.initial;
    input.style.width = "300px";
    function show() { label.textContent = s.name + " = " + s.values[pos[i]]; }
    input.addEventListener("input", function () { pos[i] = +input.value; show(); draw(); });
    show(); row.appendChild(label); row.appendChild(input); controls.appendChild(row);
  });
  draw();
})();</script>
`

// round4 keeps 5 significant digits, enough for a chart and 3× smaller JSON.
func round4(v float64) float64 {
	if v == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 5, 64), 64)
	return f
}
