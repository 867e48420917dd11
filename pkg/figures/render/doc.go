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
//
// The house style, which every figure gets without asking:
//
//   - Text is plain Unicode in the paper's notation with index scripts
//     written x_l, P^d_lj, t^(−1/2), _{k=j+1..l} (script_text.go): the static
//     drawings typeset them as real sub- and superscripts in titles, axis
//     labels, legends, colour bars and captions; HTML pages use <sub>/<sup>
//     (ScriptHTML), chart texts Unicode script characters where they exist.
//     The source strings stay readable in INDEX.md and the sidecars.
//   - Linear axes are marked at round 1-2-5 steps with the step's decimals
//     (ticks.go), log axes at decades (and 2×, 5× or every multiple when
//     narrow), index axes from 1 as the paper numbers tokens and channels.
//   - Legends never hide data: each goes to the first corner or mid-height
//     place whose box covers no drawn point, else beside or below its panel
//     (legend_place.go; StaticLayout reports where).
//   - No point is dropped silently: Validate refuses points outside a fixed
//     range or ≤ 0 on a log axis unless the panel says so (Panel.Cut,
//     Axis.Floor; Panel.Unseen counts them).
//   - Heat maps get a colour bar, sequential for non-negative data and
//     diverging about 0 otherwise; the Okabe–Ito palette; Liberation Sans
//     compiled in, no host fonts.
package render
