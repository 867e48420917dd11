package render

import (
	"math"
	"strings"
	"testing"
)

func TestTexEscape(t *testing.T) {
	for i, test := range []struct{ in, want string }{
		{"a_b|c<d", `a\_b\textbar{}c\textless{}d`},
		{"μ ≤ 0, S_Cᵀ", `$\mu$ $\le$ 0, S\_C$^\top$`},
		{"50 % & $x^2", `50 \% \& \$x\textasciicircum{}2`},
	} {
		if got := texEscape(test.in); got != test.want {
			t.Errorf("test %d: texEscape(%q) = %q, want %q", i, test.in, got, test.want)
		}
	}
}

func TestFigureValidate(t *testing.T) {
	ok := Series{X: []float64{1, 2}, Y: []float64{3, 4}}
	for i, test := range []struct {
		f    Figure
		want string // substring of the error; "" for none
	}{
		{Figure{Panels: []Panel{{Series: []Series{ok}}}}, ""},
		{Figure{}, "no panels"},
		{Figure{Panels: []Panel{{}}}, "no series"},
		{Figure{Panels: []Panel{{Series: []Series{{X: []float64{1}, Y: []float64{1, 2}}}}}}, "1 x values and 2 y values"},
		{Figure{Panels: []Panel{{Series: []Series{{X: []float64{math.NaN()}, Y: []float64{1}}}}}}, "want finite"},
		{Figure{Panels: []Panel{{Series: []Series{ok}, Heat: &Heatmap{Z: [][]float64{{1}}}}}}, "cannot also have series"},
		{Figure{Panels: []Panel{{Heat: &Heatmap{Z: [][]float64{{1, 2}, {3}}}}}}, "row 1 has 1 columns"},
		{Figure{Title: "for all ∀", Panels: []Panel{{Series: []Series{ok}}}}, "not in Liberation Sans"},
	} {
		err := test.f.Validate()
		switch {
		case test.want == "" && err != nil:
			t.Errorf("test %d: unexpected error %v", i, err)
		case test.want != "" && (err == nil || !strings.Contains(err.Error(), test.want)):
			t.Errorf("test %d: got error %v, want one containing %q", i, err, test.want)
		}
	}
}

func TestLogClamp(t *testing.T) {
	// Values ≤ 0 on a log axis are raised to the smallest positive value of
	// the panel (or Floor), never passed to the log scale.
	p := Panel{Y: Axis{Log: true}, X: Axis{Log: true},
		Series: []Series{{X: []float64{1, 10, 100}, Y: []float64{0.5, 0, -3}}}}
	s := p.drawable()[0]
	for k, y := range s.Y {
		if y != 0.5 {
			t.Errorf("y[%d] = %v, want 0.5", k, y)
		}
	}
	p.Y.Floor = 1e-3
	if s := p.drawable()[0]; s.Y[1] != 1e-3 || s.Y[0] != 0.5 {
		t.Errorf("with Floor 1e-3: %v", s.Y)
	}
	if _, _, ymin, _ := p.dataRange(); ymin != 1e-3 {
		t.Errorf("data range starts at %v, want 1e-3", ymin)
	}
}

func TestDecadeTicks(t *testing.T) {
	for i, test := range []struct {
		min, max  float64
		maxLabels int
	}{
		{1e-3, 1e6, 8}, {1e-300, 1, 8}, {0.4, 8, 4}, {1, 10, 4}, {5.2, 18, 6},
	} {
		labels := 0
		for _, tk := range (decadeTicks{}).Ticks(test.min, test.max) {
			if tk.Value < test.min || tk.Value > test.max {
				t.Errorf("test %d: tick %v outside [%v, %v]", i, tk.Value, test.min, test.max)
			}
			if tk.Label != "" {
				labels++
			}
		}
		if labels < 3 || labels > test.maxLabels {
			t.Errorf("test %d: %d labels on [%v, %v], want 3..%d", i, labels, test.min, test.max, test.maxLabels)
		}
	}
}

// A point outside a fixed range, or ≤ 0 on a log axis without a floor, is
// refused unless the panel says it is cut (or sets the floor): no point is
// dropped silently.
func TestValidateRefusesUnseenPoints(t *testing.T) {
	mk := func(p Panel) *Figure { return &Figure{Name: "u", Panels: []Panel{p}} }
	line := []Series{{X: []float64{0, 1, 2}, Y: []float64{0, 5, 1}}}
	fixed := Panel{Series: line, Y: Axis{Min: 0, Max: 2}}
	if out, _ := fixed.Unseen(); out != 1 {
		t.Errorf("Unseen outside = %d, want 1", out)
	}
	if err := mk(fixed).Validate(); err == nil || !strings.Contains(err.Error(), "outside the fixed axis range") {
		t.Errorf("a point above a fixed range: err = %v", err)
	}
	fixed.Cut = true
	if err := mk(fixed).Validate(); err != nil {
		t.Errorf("with Cut: %v", err)
	}
	logp := Panel{Series: line, Y: Axis{Log: true}}
	if _, raised := logp.Unseen(); raised != 1 {
		t.Errorf("Unseen raised = %d, want 1", raised)
	}
	if err := mk(logp).Validate(); err == nil || !strings.Contains(err.Error(), "≤ 0 on a log axis") {
		t.Errorf("a zero on a log axis: err = %v", err)
	}
	logp.Y.Floor = 1e-3
	if err := mk(logp).Validate(); err != nil {
		t.Errorf("with a floor: %v", err)
	}
	// A floor on the other axis does not excuse a zero on this one.
	both := Panel{Series: line, X: Axis{Log: true, Floor: 0.5}, Y: Axis{Log: true}}
	if err := mk(both).Validate(); err == nil || !strings.Contains(err.Error(), "≤ 0 on a log axis") {
		t.Errorf("a zero on y, floor on x only: err = %v", err)
	}
}
