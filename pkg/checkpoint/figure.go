package checkpoint

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// ScenarioColor is the colour of a layer's predicted scenario in the
// trajectory figure: divergent red, convergent blue, otherwise grey.
func ScenarioColor(scenario string) color.Color {
	switch scenario {
	case "divergent":
		return color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	case "convergent":
		return color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	}
	return color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
}

// TrajectoryPlot draws ‖r_i‖ against depth i for every token of t, the
// segment from depth i to i+1 coloured by layer i's predicted scenario
// (layers[i].Scenario). title may be empty.
func TrajectoryPlot(t *Trajectories, layers []LayerReport, title string) (*plot.Plot, error) {
	if t == nil || len(t.ResidualNorm) == 0 {
		return nil, fmt.Errorf("checkpoint: trajectory plot: no trajectories")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "depth i (block index)"
	p.Y.Label.Text = "residual-stream norm ‖r_i‖"
	seen := map[string]bool{}
	for _, rn := range t.ResidualNorm {
		if len(rn) != len(layers)+1 {
			return nil, fmt.Errorf("checkpoint: trajectory plot: %d norms for %d layers", len(rn), len(layers))
		}
		for i := 0; i+1 < len(rn); i++ {
			l, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: rn[i]}, {X: float64(i + 1), Y: rn[i+1]}})
			if err != nil {
				return nil, fmt.Errorf("checkpoint: trajectory plot: %w", err)
			}
			sc := layers[i].Scenario
			l.Color = ScenarioColor(sc)
			l.Width = vg.Points(1)
			p.Add(l)
			if !seen[sc] {
				seen[sc] = true
				p.Legend.Add(sc+" layer (predicted)", l)
			}
		}
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}
