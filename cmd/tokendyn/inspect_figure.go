package main

import (
	"io"

	"gonum.org/v1/plot/vg"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
)

// writeTrajectoryFigure writes checkpoint.TrajectoryPlot of r as PNG to
// path atomically.
func writeTrajectoryFigure(path string, r *inspectReport) error {
	p, err := checkpoint.TrajectoryPlot(r.Trajectories, r.Layers, "token trajectories through depth ("+r.Dir+")")
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(16*vg.Centimeter, 10*vg.Centimeter, "png")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}
