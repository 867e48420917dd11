package notebook

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// grid shows z[row][col] to gonum's heat map: column c at x = c, row r at
// y = r.
type grid [][]float64

func (g grid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g grid) Z(c, r int) float64 { return g[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// HeatPlot draws the matrix z (rows, cols), row 0 at the top, with
// moreland's smooth blue–white–red map centred at 0 and symmetric
// (±max|z|): the sign of an entry is its hue, its size the saturation, so
// matrices of either sign compare at a glance (an importance-rank overlay,
// a soft permutation matrix). z must be rectangular, non-empty and finite.
func HeatPlot(z [][]float64, title string) (*plot.Plot, error) {
	if len(z) == 0 || len(z[0]) == 0 {
		return nil, fmt.Errorf("notebook: heat map of an empty matrix")
	}
	m := 1e-12 // an all-zero matrix is white, not NaN
	for r, row := range z {
		if len(row) != len(z[0]) {
			return nil, fmt.Errorf("notebook: heat map: row %d has %d entries, row 0 has %d", r, len(row), len(z[0]))
		}
		for c, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("notebook: heat map: entry (%d, %d) is %v", r, c, v)
			}
			m = math.Max(m, math.Abs(v))
		}
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-m)
	cm.SetMax(m)
	h := plotter.NewHeatMap(grid(z), cm.Palette(255))
	h.Min, h.Max = -m, m
	p := plot.New()
	p.Title.Text = title
	p.Add(h)
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	return p, nil
}

// HeatPNG is HeatPlot rendered as a square PNG of side size at dpi, for
// gonbui.DisplayPng.
func HeatPNG(z [][]float64, title string, size vg.Length, dpi int) ([]byte, error) {
	p, err := HeatPlot(z, title)
	if err != nil {
		return nil, err
	}
	return PNG(p, size, size, dpi)
}

// Rows cuts a row-major matrix of n columns into its rows (views, not
// copies), for HeatPlot.
//
//	m  (len(m)/n, n)
func Rows(m []float64, n int) [][]float64 {
	var out [][]float64
	for i := 0; i+n <= len(m) && n > 0; i += n {
		out = append(out, m[i:i+n])
	}
	return out
}

// PositionTicks labels the cells of a HeatPlot axis of n positions with
// the paper's 1-based token positions: 1, 6, 12, … at cell index k−1.
func PositionTicks(n int) plot.ConstantTicks {
	ticks := []plot.Tick{{Value: 0, Label: "1"}}
	for v := 6; v <= n; v += 6 {
		ticks = append(ticks, plot.Tick{Value: float64(v - 1), Label: fmt.Sprint(v)})
	}
	return ticks
}
