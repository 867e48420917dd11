package notebook

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
)

func testSliderChart() SliderChart {
	return SliderChart{
		ID: "sc_test", Title: "y = k x", XName: "x", YName: "y", LogY: true, YCap: 100,
		Sliders: []Slider{{Name: "k", Values: []float64{1, 2, 3}, Initial: 1}, {Name: "c", Values: []float64{0, 1}}},
		Frame: func(idx []int) ([]Line, error) {
			k := []float64{1, 2, 3}[idx[0]]
			c := float64(idx[1])
			return []Line{{Name: "line", X: []float64{0, 1, 2, 1000}, Y: []float64{c - 1, k + c, math.NaN(), k * 1000}}}, nil
		},
		Caption: func(idx []int) string { return "frame " + frameKey(idx) },
	}
}

func TestSliderChartHoldsEveryFrame(t *testing.T) {
	h, err := testSliderChart().HTML()
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := testSliderChart().HTML()
	if h != h2 {
		t.Fatal("two renders differ")
	}
	m := regexp.MustCompile(`frames = (\{.*?\}), captions = `).FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no frames in %s", h)
	}
	var frames map[string][]struct {
		Name string       `json:"name"`
		Data [][2]float64 `json:"data"`
	}
	if err := json.Unmarshal([]byte(m[1]), &frames); err != nil {
		t.Fatal(err)
	}
	if len(frames) != 6 {
		t.Fatalf("%d frames, want 3×2 = 6", len(frames))
	}
	// k = 3 (index 2), c = 1: y = (0 → dropped: ≤ 0 on a log axis), 4, NaN dropped, 3000 → capped at 100.
	got := frames["2-1"][0].Data
	want := [][2]float64{{1, 4}, {1000, 100}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("frame 2-1 data %v, want %v", got, want)
	}
	if !strings.Contains(h, `"2-1":"frame 2-1"`) {
		t.Error("captions missing")
	}
	if strings.Contains(h, "http") {
		t.Error("slider chart references a URL")
	}
}

func TestSliderChartRejectsBadSpecs(t *testing.T) {
	c := testSliderChart()
	c.Sliders[0].Initial = 5
	if _, err := c.HTML(); err == nil {
		t.Error("initial index out of range: want an error")
	}
	c = testSliderChart()
	c.ID = `bad"id`
	if _, err := c.HTML(); err == nil {
		t.Error("quote in ID: want an error")
	}
	c = testSliderChart()
	c.Frame = func([]int) ([]Line, error) { return []Line{{X: []float64{1}, Y: nil}}, nil }
	if _, err := c.HTML(); err == nil {
		t.Error("mismatched X and Y: want an error")
	}
}
