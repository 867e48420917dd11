package main

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
)

// scenarioColor is the colour of a layer's predicted scenario.
func scenarioColor(s string) color.Color {
	switch s {
	case "divergent":
		return color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	case "convergent":
		return color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	}
	return color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
}

// writeTrajectoryFigure draws ‖r_i‖ against depth i for every token, the
// segment from depth i to i+1 coloured by block i's predicted scenario,
// and writes it as PNG to path atomically.
func writeTrajectoryFigure(path string, r *inspectReport) error {
	t := r.Trajectories
	p := plot.New()
	p.Title.Text = fmt.Sprintf("token trajectories through depth (%s)", r.Dir)
	p.X.Label.Text = "depth (block index)"
	p.Y.Label.Text = "residual-stream norm ||r_i||"
	seen := map[string]bool{}
	for _, rn := range t.ResidualNorm {
		for i := 0; i+1 < len(rn); i++ {
			l, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: rn[i]}, {X: float64(i + 1), Y: rn[i+1]}})
			if err != nil {
				return err
			}
			sc := r.Layers[i].Scenario
			l.Color = scenarioColor(sc)
			l.Width = vg.Points(1)
			p.Add(l)
			if !seen[sc] {
				seen[sc] = true
				p.Legend.Add(sc+" layer", l)
			}
		}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	wt, err := p.WriterTo(16*vg.Centimeter, 10*vg.Centimeter, "png")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}
