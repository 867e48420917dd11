package notebook

import (
	"bytes"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNG renders p at width×height and dpi as PNG bytes, for gonbui.DisplayPng.
func PNG(p *plot.Plot, width, height vg.Length, dpi int) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("notebook: nil plot")
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("notebook: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders p at width×height as an SVG document with its fonts embedded,
// for gonbui.DisplaySvg.
func SVG(p *plot.Plot, width, height vg.Length) (string, error) {
	if p == nil {
		return "", fmt.Errorf("notebook: nil plot")
	}
	c := vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(true))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("notebook: encode SVG: %w", err)
	}
	return buf.String(), nil
}
