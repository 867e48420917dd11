package render

import (
	"fmt"
	"math"
)

// Figure describes one figure independently of the renderer: panels laid out
// on a grid, each with axes, line/point series, reference rules or a
// heatmap. The same Figure is drawn by gonum/plot (PNG, SVG) and by
// go-echarts (HTML), so the static and the interactive views show the same
// numbers.
//
// Text (titles, labels, legend entries) is plain Unicode in the paper's
// symbols (μ, Δ, S_Cᵀ S_B, √t, ≤, ∞); every character must exist in the
// Liberation Sans font, which writing checks.
type Figure struct {
	Name   string  // file-stem suffix: files are <artifact ID>[-<Name>].{png,svg,html}
	Title  string  // page title of the HTML and heading above the panels
	Panels []Panel // at least one
	Cols   int     // panels per row; 0 puts all panels in one row

	// PanelWidth and PanelHeight are the size of one panel in centimetres;
	// zero means 11 × 8.5.
	PanelWidth, PanelHeight float64

	// Caption, when set, is drawn under the panels (wrapped to the width)
	// and on the HTML page.
	Caption string
	// Stamp, when set, is drawn in red at the top left of the image and of
	// the HTML page: the run's status (quick mode, scaled-down proxy), so
	// a copied image still says it.
	Stamp string
	// Ref, when set, is the paper reference of the figure ("Figure 6",
	// "§5.1"), written under the caption on the HTML page.
	Ref string
}

// Panel is one set of axes.
type Panel struct {
	Title  string
	X, Y   Axis
	Series []Series
	Rules  []Rule   // vertical / horizontal reference lines across the data range
	Heat   *Heatmap // when set, the panel is a heatmap and Series/Rules must be empty

	// EqualAspect draws one data unit as the same length on both axes (a
	// phase portrait's circles stay circles): the range of the axis that
	// would be drawn too coarse is widened about its centre. Both axes must
	// be linear.
	EqualAspect bool

	// LegendLeft and LegendBottom choose the legend's preferred corner
	// (default top right); LegendOutside puts it on the right of the data
	// area. The static drawing takes the preferred corner only when the
	// legend hides no data there (see legend_place.go).
	LegendLeft, LegendBottom, LegendOutside bool

	// Cut says that points outside a fixed axis range (Min < Max) are cut
	// at the frame on purpose, say a trajectory leaving a phase portrait on
	// its way to blow-up; the caption must say it. Validate refuses a panel
	// with such points and no Cut, so that no point is dropped silently.
	Cut bool
}

// Axis is one axis of a panel.
type Axis struct {
	Label string

	// Log makes the axis logarithmic. Values below Floor (in particular
	// values ≤ 0, on which a log scale is undefined) are raised to Floor;
	// Floor ≤ 0 means the smallest positive value of the panel on this axis.
	Log   bool
	Floor float64

	// Invert draws the axis from high to low values.
	Invert bool

	// Integer labels integers only (positions, indices) on a linear axis.
	Integer bool

	// Min and Max fix the range when Min < Max; otherwise it follows the data.
	Min, Max float64
}

// Style is how a series is drawn.
type Style int

const (
	Solid  Style = iota // a solid line
	Dashed              // a dashed line (theoretical overlays)
	Dotted              // a dotted line
	Points              // markers only
)

// Series is one line or set of points.
type Series struct {
	Name  string // legend entry; "" for none
	X, Y  []float64
	Style Style
	Color int // index into the shared palette (colors.go)
}

// Rule is a reference line across the whole panel: vertical at X = At, or
// horizontal at Y = At.
type Rule struct {
	Name     string // legend entry; "" for none
	Vertical bool
	At       float64
	Color    int
}

// Heatmap is a matrix drawn in matrix orientation with a
// colour bar: a sequential palette (white to dark blue) on [0, max] when no
// entry is negative, a diverging palette centred at 0 on [−max|z|, max|z|]
// for signed data. Rows and columns are labelled from 1 (Z[0] is row 1, at
// the top), as the paper numbers tokens and channels.
type Heatmap struct {
	Z     [][]float64 // Z[row][col], all rows the same length
	Label string      // colour-bar label, e.g. "P^d_lj"
}

// Validate checks the figure's structure and data.
func (f *Figure) Validate() error {
	if len(f.Panels) == 0 {
		return fmt.Errorf("figure %q has no panels", f.Name)
	}
	if f.Cols < 0 {
		return fmt.Errorf("figure %q: negative Cols %d", f.Name, f.Cols)
	}
	texts := []string{f.Title, f.Caption, f.Stamp}
	for i := range f.Panels {
		p := &f.Panels[i]
		texts = append(texts, p.Title, p.X.Label, p.Y.Label)
		if p.Heat != nil {
			if len(p.Series) > 0 || len(p.Rules) > 0 {
				return fmt.Errorf("figure %q panel %d: a heatmap panel cannot also have series or rules", f.Name, i)
			}
			if err := p.Heat.validate(); err != nil {
				return fmt.Errorf("figure %q panel %d: %w", f.Name, i, err)
			}
			texts = append(texts, p.Heat.Label)
			continue
		}
		if len(p.Series) == 0 {
			return fmt.Errorf("figure %q panel %d: no series", f.Name, i)
		}
		if out, raised := p.Unseen(); out > 0 && !p.Cut {
			return fmt.Errorf("figure %q panel %d (%q): %d points lie outside the fixed axis range and would be cut silently; widen the range or set Cut and say so in the caption",
				f.Name, i, p.Title, out)
		} else if n := p.nonPositiveOnLog(); raised > 0 && n > 0 {
			return fmt.Errorf("figure %q panel %d (%q): %d points are ≤ 0 on a log axis and would be drawn at the smallest positive value; set the axis Floor and say so in the caption",
				f.Name, i, p.Title, n)
		}
		if p.EqualAspect && (p.X.Log || p.Y.Log) {
			return fmt.Errorf("figure %q panel %d: equal aspect needs two linear axes", f.Name, i)
		}
		for j, s := range p.Series {
			if len(s.X) != len(s.Y) || len(s.X) == 0 {
				return fmt.Errorf("figure %q panel %d series %d (%q): %d x values and %d y values, want equal and non-zero",
					f.Name, i, j, s.Name, len(s.X), len(s.Y))
			}
			for k := range s.X {
				if math.IsNaN(s.X[k]) || math.IsNaN(s.Y[k]) || math.IsInf(s.X[k], 0) || math.IsInf(s.Y[k], 0) {
					return fmt.Errorf("figure %q panel %d series %d (%q): point %d is (%v, %v), want finite",
						f.Name, i, j, s.Name, k, s.X[k], s.Y[k])
				}
			}
			texts = append(texts, s.Name)
		}
		for j, r := range p.Rules {
			if math.IsNaN(r.At) || math.IsInf(r.At, 0) {
				return fmt.Errorf("figure %q panel %d rule %d: position %v, want finite", f.Name, i, j, r.At)
			}
			texts = append(texts, r.Name)
		}
	}
	for _, s := range texts {
		if err := checkGlyphs(s); err != nil {
			return fmt.Errorf("figure %q: %w", f.Name, err)
		}
	}
	return nil
}

func (h *Heatmap) validate() error {
	if len(h.Z) == 0 || len(h.Z[0]) == 0 {
		return fmt.Errorf("empty heatmap")
	}
	for r, row := range h.Z {
		if len(row) != len(h.Z[0]) {
			return fmt.Errorf("heatmap row %d has %d columns, row 0 has %d", r, len(row), len(h.Z[0]))
		}
		for c, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("heatmap entry (%d,%d) is %v, want finite", r, c, v)
			}
		}
	}
	return nil
}

// colorRange is the heatmap's colour-scale range and whether it is
// sequential (no entry below 0) rather than diverging.
func (h *Heatmap) colorRange() (lo, hi float64, sequential bool) {
	m := h.absMax()
	for _, row := range h.Z {
		for _, v := range row {
			if v < 0 {
				return -m, m, false
			}
		}
	}
	return 0, m, true
}

// absMax is the largest |z| of the heatmap (at least the smallest positive
// float so that an all-zero matrix still has a palette range).
func (h *Heatmap) absMax() float64 {
	m := math.SmallestNonzeroFloat64
	for _, row := range h.Z {
		for _, v := range row {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// logFloors returns the clamping floor of each log axis (see Axis.Floor);
// 0 for linear axes.
func (p *Panel) logFloors() (fx, fy float64) {
	floor := func(a Axis, vals func(Series) []float64, rule bool) float64 {
		if !a.Log {
			return 0
		}
		if a.Floor > 0 {
			return a.Floor
		}
		m := math.Inf(1)
		for _, s := range p.Series {
			for _, v := range vals(s) {
				if v > 0 {
					m = math.Min(m, v)
				}
			}
		}
		for _, r := range p.Rules {
			if r.Vertical == rule && r.At > 0 {
				m = math.Min(m, r.At)
			}
		}
		if math.IsInf(m, 1) {
			return 1 // nothing positive at all: draw everything at 1
		}
		return m
	}
	fx = floor(p.X, func(s Series) []float64 { return s.X }, true)
	fy = floor(p.Y, func(s Series) []float64 { return s.Y }, false)
	return fx, fy
}

func clampTo(v, floor float64) float64 {
	if floor > 0 && !(v >= floor) {
		return floor
	}
	return v
}

// dataRange is the range of the panel's series along both axes after log
// clamping; rules extend it so that they stay visible. A fixed Axis range
// (Min < Max) wins.
func (p *Panel) dataRange() (xmin, xmax, ymin, ymax float64) {
	fx, fy := p.logFloors()
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, s := range p.Series {
		for k := range s.X {
			x, y := clampTo(s.X[k], fx), clampTo(s.Y[k], fy)
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
		}
	}
	for _, r := range p.Rules {
		if r.Vertical {
			x := clampTo(r.At, fx)
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		} else {
			y := clampTo(r.At, fy)
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
		}
	}
	if p.X.Min < p.X.Max {
		xmin, xmax = p.X.Min, p.X.Max
	}
	if p.Y.Min < p.Y.Max {
		ymin, ymax = p.Y.Min, p.Y.Max
	}
	return xmin, xmax, ymin, ymax
}

// equalize widens [xmin, xmax] or [ymin, ymax] about its centre so that
// the x and y units have the same length on a data area w wide and h high.
func equalize(xmin, xmax, ymin, ymax, w, h float64) (float64, float64, float64, float64) {
	dx, dy := xmax-xmin, ymax-ymin
	if !(dx > 0 && dy > 0 && w > 0 && h > 0) {
		return xmin, xmax, ymin, ymax
	}
	if dx/w > dy/h { // x is the coarser: widen y
		c, half := (ymin+ymax)/2, dx/w*h/2
		return xmin, xmax, c - half, c + half
	}
	c, half := (xmin+xmax)/2, dy/h*w/2
	return c - half, c + half, ymin, ymax
}

// ruleSeries turns the panel's rules into two-point series spanning the data
// range, so that both renderers draw them as ordinary dashed lines.
func (p *Panel) ruleSeries() []Series {
	if len(p.Rules) == 0 {
		return nil
	}
	xmin, xmax, ymin, ymax := p.dataRange()
	out := make([]Series, 0, len(p.Rules))
	for _, r := range p.Rules {
		s := Series{Name: r.Name, Style: Dashed, Color: r.Color}
		if r.Vertical {
			s.X, s.Y = []float64{r.At, r.At}, []float64{ymin, ymax}
		} else {
			s.X, s.Y = []float64{xmin, xmax}, []float64{r.At, r.At}
		}
		out = append(out, s)
	}
	return out
}

// drawable is the panel's series followed by its rules as series, with
// values clamped for log axes.
func (p *Panel) drawable() []Series {
	fx, fy := p.logFloors()
	all := append(append([]Series(nil), p.Series...), p.ruleSeries()...)
	for i := range all {
		s := &all[i]
		x, y := make([]float64, len(s.X)), make([]float64, len(s.Y))
		for k := range s.X {
			x[k], y[k] = clampTo(s.X[k], fx), clampTo(s.Y[k], fy)
		}
		s.X, s.Y = x, y
	}
	return all
}

// grid returns the number of rows and columns of the panel layout.
func (f *Figure) grid() (rows, cols int) {
	cols = f.Cols
	if cols <= 0 || cols > len(f.Panels) {
		cols = len(f.Panels)
	}
	rows = (len(f.Panels) + cols - 1) / cols
	return rows, cols
}

// size returns the panel size in centimetres.
func (f *Figure) size() (w, h float64) {
	w, h = f.PanelWidth, f.PanelHeight
	if w <= 0 {
		w = 11
	}
	if h <= 0 {
		h = 8.5
	}
	return w, h
}

// Band is a seed band: the mean as a named solid line and the minimum and
// maximum over seeds as unnamed dotted lines, all in one color.
func Band(name string, x, mean, lo, hi []float64, color int) []Series {
	return []Series{
		{Name: name, X: x, Y: mean, Color: color},
		{X: x, Y: lo, Style: Dotted, Color: color},
		{X: x, Y: hi, Style: Dotted, Color: color},
	}
}

// Unseen counts the panel's points that the drawing cannot show where they
// are: outside a fixed axis range (Min < Max; cut at the frame), and below
// a log axis's floor (raised to it, which includes every value ≤ 0).
// Rules are not counted. A figure that has such points must say so:
// Validate requires Axis.Clip on each axis that cuts or raises points.
func (p *Panel) Unseen() (outside, raised int) {
	if p.Heat != nil {
		return 0, 0
	}
	fx, fy := p.logFloors()
	for _, s := range p.Series {
		for k := range s.X {
			x, y := s.X[k], s.Y[k]
			if p.X.Log && !(x >= fx) || p.Y.Log && !(y >= fy) {
				raised++
				continue
			}
			if p.X.Min < p.X.Max && (x < p.X.Min || x > p.X.Max) || p.Y.Min < p.Y.Max && (y < p.Y.Min || y > p.Y.Max) {
				outside++
			}
		}
	}
	return outside, raised
}

// nonPositiveOnLog counts the points ≤ 0 on a log axis that has no explicit
// Floor (with a Floor, raising them to it is the figure's stated choice).
func (p *Panel) nonPositiveOnLog() int {
	n := 0
	for _, s := range p.Series {
		for k := range s.X {
			if p.X.Log && p.X.Floor <= 0 && !(s.X[k] > 0) || p.Y.Log && p.Y.Floor <= 0 && !(s.Y[k] > 0) {
				n++
			}
		}
	}
	return n
}
