package figures

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

func reorderSharpnessArtifact() Artifact {
	return Artifact{
		ID: "fig-reorder-sharpness", Kind: KindFigure,
		Title:    "How sharp the soft permutation becomes: row max of SoftSort's matrix per epoch (scaled-down proxy of MambaVision-T with reordering)",
		PaperRef: "refinement 2 (docs/paper.md §5.2 item 4, §13): SoftSort at τ = 1 blends tokens unless the scores spread",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: reorderBuild(reorderSharpness),
	}
}

// reorderSharpness is fig-reorder-sharpness: per sequence length, for every
// reordering arm, the mean over probe images and rows of max_l P̂[k,l]
// after every epoch (mean over seeds, with min and max over seeds), against
// 1/L (uniform rows) and 1 (a permutation).
func reorderSharpness(r *reorder.Result) (*Result, error) {
	var panels []render.Panel
	for _, ps := range r.Summary().Patches {
		p := render.Panel{Title: fmt.Sprintf("%d tokens", ps.L), X: render.Axis{Label: "epoch", Integer: true},
			Y: render.Axis{Label: "mean row max of P̂", Log: true}}
		var x []float64
		for e := 0; e < r.Spec.Epochs; e++ {
			x = append(x, float64(e+1))
		}
		for i, a := range r.Spec.Arms {
			if !a.Reorder {
				continue
			}
			var m, lo, hi []float64
			for e := 0; e < r.Spec.Epochs; e++ {
				mn, mx, sum, n := 1.0, 0.0, 0.0, 0
				for _, run := range r.Runs {
					if run.Patch == ps.Patch && run.Arm == a.Name {
						v := run.Epochs[e].RowMax
						mn, mx, sum, n = min(mn, v), max(mx, v), sum+v, n+1
					}
				}
				m, lo, hi = append(m, sum/float64(max(1, n))), append(lo, mn), append(hi, mx)
			}
			p.Series = append(p.Series, render.Band(a.Short(), x, m, lo, hi, i)...)
		}
		p.Rules = append(p.Rules, render.Rule{Name: fmt.Sprintf("uniform rows, 1/L = 1/%d", ps.L), At: 1 / float64(ps.L)})
		panels = append(panels, p)
	}
	return &Result{
		Params: newReorderParams(r),
		Caption: "Scaled-down proxy of MambaVision-T with token reordering (paper's values not available to us): the soft permutation " +
			"P̂ = SoftSort(−s) of the reordering block on the first test images, the largest entry of each row averaged over rows and " +
			"images, after every epoch: 1/L when every row is uniform (the tokens are blended), 1 for a permutation; mean over seeds " +
			"(solid) with min and max (dotted)" + reorderHardNote(r) + "; " + reorderSetup(r),
		Figures: []render.Figure{{
			Title:  "Soft permutation row max per epoch (scaled-down proxy on Fashion-MNIST)",
			Panels: panels, Cols: 2,
		}},
	}, nil
}

// reorderHardNote says, when the experiment has a hard arm, that its matrix
// is a permutation by construction.
func reorderHardNote(r *reorder.Result) string {
	for _, a := range r.Spec.Arms {
		if a.Hard {
			return "; the hard straight-through arm (not the authors' setting) reorders by the one-hot of each row's argmax, " +
				"a permutation (row max 1 by construction), and back-propagates through the soft P̂ at τ = " + reorderSig(a.Tau, 2)
		}
	}
	return ""
}
