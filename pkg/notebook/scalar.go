package notebook

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"

	"github.com/tokendyn/tokendyn/pkg/theory"
)

// ScalarLines simulates the 1-D token dynamics s (docs/paper.md §2.2) from the
// tokens x0 (L) up to time T, or to a blow-up, and returns |x_l(t)| for each
// token at the simulation's log-spaced samples (t > 0), named "token 1" …
// "token L" as in the paper, with a label naming the scenario the Table 1
// criterion assigns and, when the tokens blow up, the simulated T*.
func ScalarLines(s theory.Scalar, x0 []float64, T float64) ([]Line, string, error) {
	c, err := s.Classify(x0)
	if err != nil {
		return nil, "", err
	}
	tr, err := s.Simulate(x0, T, &theory.SimOptions{SamplesPerDecade: 12, TMin: 1e-3})
	if err != nil {
		return nil, "", err
	}
	lines := make([]Line, tr.L)
	for l := range lines {
		lines[l].Name = fmt.Sprintf("token %d", l+1)
		for i, t := range tr.T {
			if t > 0 {
				lines[l].X = append(lines[l].X, t)
				lines[l].Y = append(lines[l].Y, math.Abs(tr.At(i, l, 0)))
			}
		}
	}
	label := c.Scenario.String()
	if tr.BlowUp {
		label += fmt.Sprintf(", blow-up at T* = %.4g", tr.BlowUpTime)
	}
	return lines, label, nil
}

// LogLogPlot draws lines on log–log axes with gonum/plot, one colour and
// dash pattern per line and a legend at the top. Points outside
// (1e-12, 1e12), which a log axis cannot show usefully (zeros, a blow-up's
// last steps), are left out; a line with fewer than two points is skipped.
func LogLogPlot(title, xLabel, yLabel string, lines []Line) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xLabel, yLabel
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	var args []any
	for _, l := range lines {
		if xy := logPoints(l); len(xy) > 1 {
			args = append(args, l.Name, xy)
		}
	}
	if err := plotutil.AddLines(p, args...); err != nil {
		return nil, fmt.Errorf("notebook: log-log plot: %w", err)
	}
	return p, nil
}

// logPoints are the points of l that a log–log plot shows: x > 0 and
// y in (1e-12, 1e12).
func logPoints(l Line) plotter.XYs {
	var xy plotter.XYs
	for i := range l.X {
		if y := l.Y[i]; l.X[i] > 0 && y > 1e-12 && y < 1e12 {
			xy = append(xy, plotter.XY{X: l.X[i], Y: y})
		}
	}
	return xy
}
