// Package render is the renderer-independent model of a figure (Figure,
// Panel, Axis, Series, Rule, Heatmap) and of a table (Table, Column, Cell),
// and the deterministic writers that turn them into bytes in memory: PNG,
// SVG and PDF with gonum/plot (Static, StaticAll; the PDF's dates are fixed),
// an interactive HTML page with
// go-echarts (HTML, which loads assets/echarts.min.js relative to the page,
// never a CDN), and CSV, Markdown and LaTeX (booktabs) for tables.
//
// It knows nothing of the paper's experiments: pkg/figures (the registry)
// computes the numbers and describes them with these types, and pkg/notebook
// displays them, so a notebook can draw a figure without importing the
// training stack. The same Figure gives the same bytes on every run.
package render
