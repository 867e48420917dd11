// Package notebook holds the small display helpers that the GoNB notebooks in
// notebooks/ share: inline, offline ECharts charts (go-echarts) and gonum/plot
// figures rendered to PNG or SVG. It returns HTML and bytes and never talks to
// the kernel itself, so it is testable without Jupyter; the notebooks pass the
// results to gonbui.DisplayHTML / gonbui.DisplayPng. It imports the figure
// model and writers (pkg/figures/render) but never the registry or the
// training stack (a test checks the import graph); a notebook that shows a
// registry artifact calls figures.Render itself.
//
// ECharts is loaded from the copy that `make setup` installs from npm
// (node_modules/echarts/dist/echarts.min.js, pinned in package.json): no CDN is
// ever referenced, so charts work offline and in the exported HTML of an
// executed notebook.
package notebook
