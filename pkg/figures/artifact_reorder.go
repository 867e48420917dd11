package figures

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// The three artifacts of the scaled-down ImageNet-1K experiment (docs/paper.md
// §6.2, refinement 2 of §5.2: token reordering by importance score):
// tab-imagenet-scaled, fig-reorder-curves and fig-reorder-importance. They
// share one experiment, pkg/train.DefaultReorderConfig (a smaller one in
// quick mode), whose result is cached under .cache/experiments/ keyed by the
// code, the configuration and the data (train.LoadOrRunReorder): the first
// artifact built trains the models, the others reuse the stored result, and
// so does the next `make figures` while the key is unchanged.

// reorderScale is the Scale of the three artifacts.
const reorderScale = "scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs: Mamba classifier of ~1e4 parameters on Fashion-MNIST 4×4 patches (49 tokens)"

// reorderNote is the Note of the three artifacts.
const reorderNote = "the paper's ImageNet-1K accuracies and curves are not available to us (docs/paper.md §6.2: UNCONFIRMED); only the direction of the effect can be compared"

const reorderNotebook = "notebooks/08-refinement-reordering.ipynb"

// reorderQuickConfig is the experiment of `tokendyn figures --quick` and of
// the tests: train.QuickReorderConfig shrunk to about a second per run.
func reorderQuickConfig() train.ReorderConfig {
	c := train.QuickReorderConfig()
	c.TrainSize, c.TestSize, c.TrainEvalSize = 500, 300, 100
	c.Epochs = 2
	return c
}

// reorderExperiment returns the experiment's result, from the cache when
// its key is unchanged. What happened is printed on stderr.
func reorderExperiment(ctx context.Context, env Env) (*train.ReorderResult, error) {
	cfg := train.DefaultReorderConfig()
	if env.Quick {
		cfg = reorderQuickConfig()
	}
	root, err := train.ModuleRoot(".")
	if err != nil {
		return nil, err
	}
	res, _, err := train.LoadOrRunReorder(ctx, root, cfg, train.ReorderHooks{OnStep: env.Step}, os.Stderr)
	return res, err
}

// reorderLabel names an arm.
func reorderLabel(arm string) string {
	switch arm {
	case train.ArmBaseline:
		return "without reordering"
	case train.ArmReorder:
		return "with reordering"
	}
	return arm
}

// reorderParams is the sidecar's "parameters" of the three artifacts.
type reorderParams struct {
	Config      train.ReorderConfig       `json:"experiment"`
	CacheKey    string                    `json:"cache_key"`
	CodeVersion string                    `json:"code_version"`
	DataDigest  string                    `json:"data_digest"`
	Source      string                    `json:"source"`
	TrainImages int                       `json:"train_images"`
	TestImages  int                       `json:"test_images"`
	Tokens      [2]int                    `json:"tokens_l_f"`
	Go          string                    `json:"go"`
	Threads     int                       `json:"threads"`
	WallSeconds float64                   `json:"experiment_wall_seconds"`
	Summary     []train.ReorderArmSummary `json:"summary"`
}

func newReorderParams(r *train.ReorderResult) reorderParams {
	return reorderParams{Config: r.Config, CacheKey: r.Key, CodeVersion: r.Code, DataDigest: r.Data, Source: r.Source,
		TrainImages: r.TrainImages, TestImages: r.TestImages, Tokens: r.Tokens, Go: r.Go, Threads: r.Threads,
		WallSeconds: roundSig(r.Seconds, 4), Summary: r.Summary()}
}

// reorderQuirks describes the mixer options used.
func reorderQuirks(c train.ReorderConfig) string {
	z, inv, bias := "z not reordered", "no inverse permutation after the scan", "dt bias added twice"
	if c.ReorderZ {
		z = "z reordered too"
	}
	if c.InversePermute {
		inv = "inverse permutation after the scan"
	}
	if c.SingleDtBias {
		bias = "dt bias added once"
	}
	if !c.ReorderZ && !c.InversePermute && !c.SingleDtBias {
		return "the authors' mixer (" + z + ", " + inv + ", " + bias + ")"
	}
	return "a modified mixer (" + z + ", " + inv + ", " + bias + ")"
}

// reorderSetup is one sentence on what was trained.
func reorderSetup(r *train.ReorderResult) string {
	c := r.Config
	return fmt.Sprintf("Mamba classifier (linear patch embedding, %d MambaVision-mixer blocks with d_model %d, d_state %d, d_conv %d, "+
		"mean pool, linear head) on %d of %d Fashion-MNIST training images (class-stratified), %d epochs of batch %d, "+
		"tested on %d of %d test images; reordering in block %d with %s; seeds %v",
		c.NLayer, c.DModel, c.DState, c.DConv, r.TrainImages, r.FullTrain, c.Epochs, c.Batch,
		r.TestImages, r.FullTest, c.ReorderLayer, reorderQuirks(c), c.Seeds)
}

// reorderVerdict says in words how the arms compare (mean over seeds).
func reorderVerdict(sum []train.ReorderArmSummary) string {
	var base, re *train.ReorderArmSummary
	for i := range sum {
		switch sum[i].Arm {
		case train.ArmBaseline:
			base = &sum[i]
		case train.ArmReorder:
			re = &sum[i]
		}
	}
	if base == nil || re == nil {
		return "only one arm was trained"
	}
	d := 100 * (re.TestAcc.Mean - base.TestAcc.Mean)
	dm := 100 * (re.MeanTestAcc.Mean - base.MeanTestAcc.Mean)
	return fmt.Sprintf("with − without reordering: final test accuracy %s points, accuracy averaged over epochs %s points (sd of the final accuracy over seeds %s and %s points)",
		signedFixed(d, 2), signedFixed(dm, 2), Fixed(100*base.TestAcc.SD, 2), Fixed(100*re.TestAcc.SD, 2))
}

func signedFixed(v float64, prec int) string {
	s := Fixed(v, prec)
	if v >= 0 && s[0] != '-' {
		s = "+" + s
	}
	return s
}

func reorderPercent(s train.Stat) train.Stat {
	return train.Stat{Mean: 100 * s.Mean, SD: 100 * s.SD, Min: 100 * s.Min, Max: 100 * s.Max, N: s.N}
}

func reorderTableArtifact() Artifact {
	return Artifact{
		ID: "tab-imagenet-scaled", Kind: KindTable,
		Title:    "Test accuracy with and without token reordering (scaled-down proxy of the MambaVision-T / ImageNet-1K table)",
		PaperRef: "ImageNet-1K table (docs/paper.md §6.2): token reordering improves accuracy",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := reorderExperiment(ctx, env)
			if err != nil {
				return nil, err
			}
			sum := r.Summary()
			t := Table{
				Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs (the paper's numbers are not available to us): " +
					reorderSetup(r) + ". Accuracies in %, mean ± sample sd over seeds; 'averaged over epochs' is the mean of the " +
					"per-epoch test accuracy (higher = faster convergence); wall time per run with " + fmt.Sprint(r.Threads) +
					" runs sharing the machine's cores, whole experiment " + Fixed(r.Seconds, 0) + " s.",
				Columns: []Column{
					{Head: "model"}, {Head: "test accuracy (%)", Right: true}, {Head: "min–max (%)", Right: true},
					{Head: "averaged over epochs (%)", Right: true}, {Head: "test loss", Right: true},
					{Head: "epochs", Right: true}, {Head: "parameters", Right: true}, {Head: "wall time per run (s)", Right: true},
					{Head: "seeds", Right: true},
				},
			}
			for _, s := range sum {
				acc, mean := reorderPercent(s.TestAcc), reorderPercent(s.MeanTestAcc)
				t.Rows = append(t.Rows, []Cell{
					C(reorderLabel(s.Arm)),
					CT(pm(acc, 2), pmTeX(acc, 2)), C(Fixed(acc.Min, 2) + "–" + Fixed(acc.Max, 2)),
					CT(pm(mean, 2), pmTeX(mean, 2)), CT(pm(s.TestLoss, 4), pmTeX(s.TestLoss, 4)),
					C(fmt.Sprint(s.Epochs)), C(fmt.Sprint(s.Params)), C(Fixed(s.Seconds.Mean, 0)), C(fmt.Sprint(s.Runs)),
				})
			}
			t.Rows = append(t.Rows, []Cell{
				C("paper: MambaVision-T on ImageNet-1K, ± reordering"), C("not available to us"), C("—"), C("—"), C("—"),
				C("310 in the authors' code (paper: UNCONFIRMED)"), C("—"), C("—"), C("—"),
			})
			return &Result{
				Params: newReorderParams(r),
				Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K table (paper's numbers not available to us); " +
					reorderVerdict(sum),
				Tables: []Table{t},
			}, nil
		},
	}
}

// reorderCurvePanel draws one metric: per arm the mean over seeds (solid)
// and the min and max over seeds (dotted).
func reorderCurvePanel(r *train.ReorderResult, metric, title, ylabel string, scale float64) Panel {
	p := Panel{Title: title, X: Axis{Label: "epoch", Integer: true}, Y: Axis{Label: ylabel}}
	for i, c := range r.Curves(metric) {
		if len(c.Epochs) == 0 {
			continue
		}
		x := make([]float64, len(c.Epochs))
		for k, e := range c.Epochs {
			x[k] = float64(e)
		}
		sc := func(v []float64) []float64 {
			out := make([]float64, len(v))
			for k := range v {
				out[k] = scale * v[k]
			}
			return out
		}
		p.Series = append(p.Series, Band(reorderLabel(c.Arm), x, sc(c.Mean), sc(c.Min), sc(c.Max), i)...)
	}
	return p
}

func reorderCurvesArtifact() Artifact {
	return Artifact{
		ID: "fig-reorder-curves", Kind: KindFigure,
		Title:    "Accuracy and loss per epoch with and without token reordering (scaled-down proxy of the MambaVision-T / ImageNet-1K runs)",
		PaperRef: "ImageNet-1K training curves (docs/paper.md §7, number UNCONFIRMED): reordering improves accuracy and convergence speed",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := reorderExperiment(ctx, env)
			if err != nil {
				return nil, err
			}
			panels := []Panel{
				reorderCurvePanel(r, train.MetricTestAcc, "test accuracy", "test accuracy (%)", 100),
				reorderCurvePanel(r, train.MetricTestLoss, "test loss", "test cross-entropy (nats)", 1),
				reorderCurvePanel(r, train.MetricTrainLoss, "training loss (running mean over the epoch)", "training cross-entropy (nats)", 1),
			}
			if r.Config.TrainEvalSize > 0 {
				panels = append(panels, reorderCurvePanel(r, train.MetricTrainEvalAcc,
					fmt.Sprintf("training accuracy (%d images, after each epoch)", r.Config.TrainEvalSize), "training accuracy (%)", 100))
			}
			// Accuracies rise: keep their legends clear of the curves' ends.
			panels[0].LegendBottom = true
			if len(panels) > 3 {
				panels[3].LegendBottom = true
			}
			return &Result{
				Params: newReorderParams(r),
				Caption: "Scaled-down proxy of the paper's MambaVision-T / ImageNet-1K runs (paper's numbers and curves not available to us): " +
					"accuracy and cross-entropy after every epoch, mean over seeds (solid) with the min and max over seeds (dotted); " +
					reorderSetup(r) + "; " + reorderVerdict(r.Summary()),
				Figures: []Figure{{
					Title:  "With and without token reordering, per epoch (scaled-down proxy on Fashion-MNIST)",
					Panels: panels, Cols: 2,
				}},
			}, nil
		},
	}
}

// importanceOverlay returns the image (H, W) as a matrix whose entry is
// (0.3 + 0.7·pixel)·ρ(patch), where ρ ∈ [−1, 1] is the rank of the patch's
// score among the L patches scaled linearly (−1: lowest score, placed first
// by SoftSort; +1: highest, placed last). The garment shows through the
// brightness, the importance through the colour.
func importanceOverlay(s train.ReorderSample, patch int) [][]float64 {
	L := len(s.Scores)
	rank := make([]float64, L)
	order := make([]int, L)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case s.Scores[a] < s.Scores[b]:
			return -1
		case s.Scores[a] > s.Scores[b]:
			return 1
		}
		return 0
	})
	for k, l := range order {
		rank[l] = 2*float64(k)/float64(max(1, L-1)) - 1
	}
	pc := s.W / patch
	z := make([][]float64, s.H)
	for y := range z {
		z[y] = make([]float64, s.W)
		for x := range z[y] {
			l := (y/patch)*pc + x/patch
			z[y][x] = (0.3 + 0.7*float64(s.Pixels[y*s.W+x])) * rank[l]
		}
	}
	return z
}

// scoreGrid returns the scores s_l − mean(s) as the (H/p, W/p) patch grid.
func scoreGrid(s train.ReorderSample, patch int) [][]float64 {
	var mean float64
	for _, v := range s.Scores {
		mean += v
	}
	mean /= float64(len(s.Scores))
	pr, pc := s.H/patch, s.W/patch
	z := make([][]float64, pr)
	for r := range z {
		z[r] = make([]float64, pc)
		for c := range z[r] {
			z[r][c] = s.Scores[r*pc+c] - mean
		}
	}
	return z
}

func className(c int) string {
	names := vision.ClassNames()
	if c >= 0 && c < len(names) {
		return names[c]
	}
	return fmt.Sprint(c)
}

func reorderImportanceArtifact() Artifact {
	return Artifact{
		ID: "fig-reorder-importance", Kind: KindFigure,
		Title:    "Learned importance score per patch and the soft permutation matrix (scaled-down proxy of MambaVision-T with reordering)",
		PaperRef: "refinement 2 (docs/paper.md §5.2): importance score s_l = K(S_Δ x_l + b_dt) and SoftSort reordering",
		Notebook: reorderNotebook, Scale: reorderScale, Note: reorderNote, Seed: 1,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			r, err := reorderExperiment(ctx, env)
			if err != nil {
				return nil, err
			}
			var run *train.ReorderRun
			for i := range r.Runs {
				if r.Runs[i].Arm == train.ArmReorder && r.Runs[i].Importance != nil {
					run = &r.Runs[i]
					break
				}
			}
			if run == nil {
				return nil, fmt.Errorf("the experiment has no run with reordering")
			}
			imp := run.Importance
			p := r.Config.Patch
			var panels []Panel
			for _, s := range imp.Samples {
				panels = append(panels, Panel{
					Title: fmt.Sprintf("%s (predicted %s)", className(s.Label), className(s.Predicted)),
					X:     Axis{Label: "pixel column"}, Y: Axis{Label: "pixel row"},
					Heat: &Heatmap{Z: importanceOverlay(s, p), Label: "rank of s_l (±1), × brightness"},
				})
			}
			s0 := imp.Samples[0]
			panels = append(panels,
				Panel{
					Title: fmt.Sprintf("%s: score s_l − mean per patch", className(s0.Label)),
					X:     Axis{Label: "patch column"}, Y: Axis{Label: "patch row"},
					Heat: &Heatmap{Z: scoreGrid(s0, p), Label: "s_l − mean(s)"},
				},
				Panel{
					Title: fmt.Sprintf("%s: soft permutation matrix", className(s0.Label)),
					X:     Axis{Label: "original patch l"}, Y: Axis{Label: "new position k (ascending s)"},
					Heat: &Heatmap{Z: imp.PHat, Label: "SoftSort entry (k, l)"},
				})
			return &Result{
				Params: newReorderParams(r),
				Caption: fmt.Sprintf("Scaled-down proxy of MambaVision-T with token reordering (paper's figures not available to us): "+
					"the importance score s_l = K(S_Δ x_l + b_dt) of block %d of the reordering model with seed %d, on the first test "+
					"images of %d classes. Overlays: colour = rank of the patch's score (red: highest, moved to the end of the sequence; "+
					"blue: lowest, moved to the front), brightness = pixel value; then the centred scores of the first image and its "+
					"soft permutation matrix SoftSort(−s) (τ = %s), row k a soft one-hot on the patch with the k-th smallest score; "+
					"its rows' largest entry is %s on average (1 for a permutation, 1/%d = %s for uniform rows); %s",
					imp.Layer, run.Seed, len(imp.Samples), Fixed(r.Config.Tau, 2), Fixed(meanRowMax(imp.PHat), 3),
					len(imp.PHat), Fixed(1/float64(len(imp.PHat)), 3), reorderSetup(r)),
				Figures: []Figure{{
					Title:      "What the reordering block ranks important (scaled-down proxy on Fashion-MNIST)",
					Panels:     panels,
					Cols:       3,
					PanelWidth: 9, PanelHeight: 8,
				}},
			}, nil
		},
	}
}

// meanRowMax is the mean over rows of the largest entry: how close a
// row-stochastic matrix is to a permutation (1) or to uniform rows (1/L).
func meanRowMax(p [][]float64) float64 {
	var s float64
	for _, row := range p {
		s += slices.Max(row)
	}
	return s / float64(max(1, len(p)))
}
