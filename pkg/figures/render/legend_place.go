package render

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Static legends are kept clear of the data: a legend goes into the first
// place in the data area (the panel's preferred corner, then top right, top
// left, bottom right, bottom left, middle right, middle left) whose box
// covers no part of any series, rule or marker; when every place does, it
// moves out of the data area, to a strip on the right of the panel or, when
// it is too wide for that, below.

// legendSpot is where a legend is drawn.
type legendSpot int

const (
	spotTopRight legendSpot = iota
	spotTopLeft
	spotBottomRight
	spotBottomLeft
	spotMiddleRight // vertically centred
	spotMiddleLeft
	spotRight // outside the data area, on the right
	spotBelow // outside the data area, under the panel
)

func (s legendSpot) inside() bool { return s <= spotMiddleLeft }

// left is whether the legend's icons are on its left (gonum's Legend.Left).
func (s legendSpot) left() bool {
	return s == spotTopLeft || s == spotBottomLeft || s == spotMiddleLeft || s == spotBelow
}

// legendInset is the gap between an inside legend and the data area's frame.
const legendInset = 1.5 * vg.Millimeter

// preferredSpot is the corner a panel asks for with LegendLeft/LegendBottom.
func preferredSpot(pn *Panel) legendSpot {
	switch {
	case pn.LegendLeft && pn.LegendBottom:
		return spotBottomLeft
	case pn.LegendLeft:
		return spotTopLeft
	case pn.LegendBottom:
		return spotBottomRight
	}
	return spotTopRight
}

// cornerCanvas is the canvas an inside legend is drawn in: the data area
// less the inset.
func cornerCanvas(da draw.Canvas) draw.Canvas {
	return draw.Crop(da, legendInset, -legendInset, legendInset, -legendInset)
}

// legendBox is the rectangle a legend of the given size occupies at an
// inside spot of the data area da.
func legendBox(size vg.Point, da draw.Canvas, s legendSpot) vg.Rectangle {
	c := cornerCanvas(da)
	var r vg.Rectangle
	if s.left() {
		r.Min.X, r.Max.X = c.Min.X, c.Min.X+size.X
	} else {
		r.Min.X, r.Max.X = c.Max.X-size.X, c.Max.X
	}
	switch s {
	case spotTopRight, spotTopLeft:
		r.Min.Y, r.Max.Y = c.Max.Y-size.Y, c.Max.Y
	case spotBottomRight, spotBottomLeft:
		r.Min.Y, r.Max.Y = c.Min.Y, c.Min.Y+size.Y
	default:
		mid := (c.Min.Y + c.Max.Y) / 2
		r.Min.Y, r.Max.Y = mid-size.Y/2, mid+size.Y/2
	}
	return r
}

// legendExtent is the width and height of lg's entries.
func legendExtent(lg *plot.Legend) vg.Point {
	var c draw.Canvas // Rectangle only measures: its position is not used
	return lg.Rectangle(c).Size()
}

// mark is one sampled point of what a panel draws, in canvas coordinates,
// with the distance to keep from it (half a line width, a marker's radius).
type mark struct {
	at     vg.Point
	radius vg.Length
}

// marks samples every drawn series of a panel on the data area da at most
// sampleGap apart along lines; parts outside da are skipped (they are not
// drawn).
func marks(p *plot.Plot, da draw.Canvas, series []Series) []mark {
	const sampleGap = vg.Length(1) // points
	toCanvas := func(x, y float64) vg.Point {
		return vg.Point{X: da.X(p.X.Norm(x)), Y: da.Y(p.Y.Norm(y))}
	}
	in := func(q vg.Point) bool {
		return q.X >= da.Min.X && q.X <= da.Max.X && q.Y >= da.Min.Y && q.Y <= da.Max.Y
	}
	var out []mark
	for _, s := range series {
		if s.Style == Points {
			for k := range s.X {
				if q := toCanvas(s.X[k], s.Y[k]); in(q) {
					out = append(out, mark{q, markerRadius})
				}
			}
			continue
		}
		for k := 0; k+1 < len(s.X); k++ {
			a, b := toCanvas(s.X[k], s.Y[k]), toCanvas(s.X[k+1], s.Y[k+1])
			d := math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))
			if math.IsNaN(d) || math.IsInf(d, 0) {
				continue
			}
			n := int(math.Min(math.Ceil(d/float64(sampleGap)), 1e5))
			for i := 0; i <= n; i++ {
				f := vg.Length(0)
				if n > 0 {
					f = vg.Length(float64(i) / float64(n))
				}
				q := vg.Point{X: a.X + f*(b.X-a.X), Y: a.Y + f*(b.Y-a.Y)}
				if in(q) {
					out = append(out, mark{q, vg.Points(lineWidth)})
				}
			}
		}
		if len(s.X) == 1 {
			if q := toCanvas(s.X[0], s.Y[0]); in(q) {
				out = append(out, mark{q, vg.Points(lineWidth)})
			}
		}
	}
	return out
}

// covered is how many of ms fall inside r or closer to it than their radius.
func covered(r vg.Rectangle, ms []mark) int {
	n := 0
	for _, m := range ms {
		if m.at.X >= r.Min.X-m.radius && m.at.X <= r.Max.X+m.radius &&
			m.at.Y >= r.Min.Y-m.radius && m.at.Y <= r.Max.Y+m.radius {
			n++
		}
	}
	return n
}

// chooseSpot returns the first inside spot, in the order the file comment
// gives, whose legend box covers none of ms, or the outside spot when
// there is none: on the right if the legend takes at most maxRightShare of
// the panel's width, else below.
func chooseSpot(prefer legendSpot, size vg.Point, da draw.Canvas, panelWidth vg.Length, ms []mark) legendSpot {
	order := []legendSpot{prefer, spotTopRight, spotTopLeft, spotBottomRight, spotBottomLeft, spotMiddleRight, spotMiddleLeft}
	for _, s := range order {
		if size.X > da.Size().X-2*legendInset || size.Y > da.Size().Y-2*legendInset {
			break // does not fit inside at all
		}
		if covered(legendBox(size, da, s), ms) == 0 {
			return s
		}
	}
	const maxRightShare = 0.35
	if size.X+staticLegendGap <= maxRightShare*panelWidth {
		return spotRight
	}
	return spotBelow
}

// staticLegendGap separates an outside legend from the panel.
const staticLegendGap = 2 * vg.Millimeter

// markerRadius is the radius of a Points marker.
const markerRadius = 2.5 // points

// PanelLayout says where the static renderer put one panel's legend.
type PanelLayout struct {
	Panel  int  // index into Figure.Panels
	Legend bool // the panel has a legend
	// Inside is true when the legend sits in a corner of the data area,
	// false when it is in a strip beside or below the panel.
	Inside bool
	// Covered is how many sampled points of the drawn series (about one per
	// point of line length, one per marker) the legend box covers; the
	// layout keeps it 0.
	Covered int
	// Overflow is how far (in points) the legend reaches past the right edge
	// of the panel's tile, into the next panel or off the figure: it must be
	// 0, which the layout cannot ensure for a legend wider than its panel.
	Overflow float64
}

// StaticLayout lays f out as Static does and reports each panel's legend
// placement, so that a test can check that no legend hides data.
func StaticLayout(f *Figure) ([]PanelLayout, error) {
	var rep []PanelLayout
	if _, _, _, err := static(f, false, &rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func layoutOf(i int, p *plot.Plot, cv, tile draw.Canvas, ex panelExtras, spot legendSpot, size vg.Point) PanelLayout {
	l := PanelLayout{Panel: i, Legend: ex.legend != nil}
	if l.Legend && spot == spotBelow {
		if o := belowX(p.DataCanvas(cv), tile, size) + size.X - tile.Max.X; o > 0 {
			l.Overflow = float64(o)
		}
	}
	if l.Legend && spot.inside() {
		da := p.DataCanvas(cv)
		l.Inside = true
		l.Covered = covered(legendBox(size, da, spot), marks(p, da, ex.series))
	}
	return l
}

// belowX is the left edge of a legend below a panel: the data area's left
// edge, moved left as far as the tile allows when the legend would
// otherwise reach past the tile's right edge.
func belowX(da, tile draw.Canvas, size vg.Point) vg.Length {
	x := da.Min.X
	if x+size.X > tile.Max.X {
		x = tile.Max.X - size.X
	}
	if x < tile.Min.X {
		x = tile.Min.X
	}
	return x
}
