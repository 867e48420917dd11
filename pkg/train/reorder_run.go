package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// ReorderEpoch is the state of one run after an epoch.
//
//	TrainLoss                    mean training cross-entropy of the epoch's updates (each measured
//	                             before its update, as training progresses)
//	TrainEvalLoss, TrainEvalAcc  cross-entropy and accuracy on TrainEvalSize training images,
//	                             evaluated after the epoch (NaN-free; 0 when TrainEvalSize = 0)
//	TestLoss, TestAcc            the same on the test subset (never used for any choice)
//	LR                           learning rate of the epoch's last update
//	Seconds                      wall time since the start of the run (not deterministic)
type ReorderEpoch struct {
	Epoch         int     `json:"epoch"`
	Step          int     `json:"step"`
	LR            float64 `json:"lr"`
	TrainLoss     float64 `json:"train_loss"`
	TrainEvalLoss float64 `json:"train_eval_loss"`
	TrainEvalAcc  float64 `json:"train_eval_acc"`
	TestLoss      float64 `json:"test_loss"`
	TestAcc       float64 `json:"test_acc"`
	Seconds       float64 `json:"seconds"`
}

// ReorderRun is one trained model: an arm and a seed.
type ReorderRun struct {
	Arm      string         `json:"arm"`
	Seed     uint64         `json:"seed"`
	Params   int            `json:"params"` // trainable scalars
	Steps    int            `json:"steps"`  // optimizer updates
	Epochs   []ReorderEpoch `json:"epochs"`
	TestAcc  float64        `json:"test_acc"` // after the last epoch
	TestLoss float64        `json:"test_loss"`
	Seconds  float64        `json:"seconds"` // wall time of training and evaluation (not deterministic)
	// Importance holds, for the reorder arm, the learned importance scores
	// of a few test images and one soft permutation matrix (for the figure).
	Importance *ReorderImportance `json:"importance,omitempty"`
}

// ReorderImportance is what the trained reordering block does on a few
// test images (docs/paper.md §5.2 items 3–5).
//
//	Samples[i].Scores  (L)     s_l = K(S_Δ x_l + b_dt) of each patch token
//	PHat               (L, L)  the soft permutation P̂ = SoftSort(−s) of Samples[0]:
//	                           row k is a soft one-hot on the token with the k-th smallest score
type ReorderImportance struct {
	Layer   int             `json:"layer"`
	Samples []ReorderSample `json:"samples"`
	PHat    [][]float64     `json:"phat"`
}

// ReorderSample is one test image with its patch scores.
type ReorderSample struct {
	TestIndex int       `json:"test_index"` // index in the test subset
	Label     int       `json:"label"`
	Predicted int       `json:"predicted"`
	H         int       `json:"h"`
	W         int       `json:"w"`
	Pixels    []float32 `json:"pixels"` // (H, W) in [0, 1]
	Scores    []float64 `json:"scores"` // (L) in patch order
}

// reorderSamples is how many test images ReorderImportance holds.
const reorderSamples = 4

// NewReorderClassifier builds the float32 classifier of one arm with the
// initial weights of seed (PCG(seed, seed)).
func NewReorderClassifier(cfg ReorderConfig, arm string, features, classes int, seed uint64) (*model.Classifier[float32], error) {
	mc := cfg.classifierConfig(arm, features, classes)
	m, err := model.NewClassifier[float32](mc, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		return nil, fmt.Errorf("train: reorder: %w", err)
	}
	return m, nil
}

// stepsPerEpoch is ⌈n/batch⌉: the last micro-batch of an epoch may be short.
func stepsPerEpoch(n, batch int) int { return (n + batch - 1) / batch }

// RunReorderJob trains one (arm, seed) on data and evaluates it after every
// epoch. Training follows the authors' loop (docs/paper.md §6.2): for each
// update, the cross-entropy of a mini-batch drawn in the seeded order
// (Order: a fresh permutation of the training images every epoch), its
// gradient, global-norm clipping, AdamW at the cosine learning rate of the
// update. workers goroutines run the selective scan (the result does not
// depend on it). onStep, when not nil, is called after every update.
func RunReorderJob(ctx context.Context, data *ReorderData, cfg ReorderConfig, arm string, seed uint64, workers int, onStep func()) (ReorderRun, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return ReorderRun{}, err
	}
	m, err := NewReorderClassifier(cfg, arm, data.F, data.Classes, seed)
	if err != nil {
		return ReorderRun{}, err
	}
	m.SetWorkers(max(1, workers))
	ps := m.Params()
	opt, err := NewAdamW(ps, 0.9, 0.999, 1e-8, cfg.WeightDecay)
	if err != nil {
		return ReorderRun{}, err
	}
	n := data.Train.N
	spe := stepsPerEpoch(n, cfg.Batch)
	total := spe * cfg.Epochs
	sched := cfg.schedule(total)
	if err := sched.Validate(); err != nil {
		return ReorderRun{}, fmt.Errorf("train: reorder: %w", err)
	}
	order := NewOrder(n, seed)
	lf := data.L * data.F
	feat := make([]float32, cfg.Batch*lf)
	lab := make([]int32, cfg.Batch)
	run := ReorderRun{Arm: arm, Seed: seed, Params: CountParams(ps), Steps: total}
	step := 0
	for ep := 0; ep < cfg.Epochs; ep++ {
		var lossSum float64
		var lr float64
		for j := 0; j < spe; j++ {
			if err := ctx.Err(); err != nil {
				return ReorderRun{}, err
			}
			b := min(cfg.Batch, n-j*cfg.Batch)
			for i := 0; i < b; i++ {
				k := order.At(ep*n + j*cfg.Batch + i)
				copy(feat[i*lf:(i+1)*lf], data.TrainTok[k*lf:(k+1)*lf])
				lab[i] = data.TrainLab[k]
			}
			ZeroGrads(ps)
			loss, err := m.Loss(feat[:b*lf], lab[:b], b, true, DropoutRNG(seed, step))
			if err != nil {
				return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d step %d: %w", arm, seed, step+1, err)
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d step %d: training loss is %v", arm, seed, step+1, loss)
			}
			if g := GradNorm(ps); math.IsNaN(g) || math.IsInf(g, 0) {
				return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d step %d: gradient norm is %v", arm, seed, step+1, g)
			}
			if cfg.Clip > 0 {
				ClipGradNorm(ps, cfg.Clip)
			}
			lr = sched.At(step)
			if err := opt.Update(lr); err != nil {
				return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d step %d: %w", arm, seed, step+1, err)
			}
			lossSum += loss
			step++
			if onStep != nil {
				onStep()
			}
		}
		e := ReorderEpoch{Epoch: ep + 1, Step: step, LR: lr, TrainLoss: lossSum / float64(spe)}
		if len(data.TrainEval) > 0 {
			sub := gatherTokens(data.TrainTok, data.TrainLab, lf, data.TrainEval)
			if e.TrainEvalLoss, e.TrainEvalAcc, _, err = EvaluateClassifier(m, sub.tok, sub.lab, data.L, data.F, cfg.EvalBatch); err != nil {
				return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d epoch %d: training evaluation: %w", arm, seed, ep+1, err)
			}
		}
		if e.TestLoss, e.TestAcc, _, err = EvaluateClassifier(m, data.TestTok, data.TestLab, data.L, data.F, cfg.EvalBatch); err != nil {
			return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d epoch %d: test evaluation: %w", arm, seed, ep+1, err)
		}
		e.Seconds = time.Since(start).Seconds()
		run.Epochs = append(run.Epochs, e)
	}
	last := run.Epochs[len(run.Epochs)-1]
	run.TestAcc, run.TestLoss = last.TestAcc, last.TestLoss
	if arm == ArmReorder {
		if run.Importance, err = importanceOf(m, data, cfg.ReorderLayer); err != nil {
			return ReorderRun{}, fmt.Errorf("train: reorder: %s seed %d: %w", arm, seed, err)
		}
	}
	run.Seconds = time.Since(start).Seconds()
	return run, nil
}

type tokLab struct {
	tok []float32
	lab []int32
}

func gatherTokens(tok []float32, lab []int32, lf int, idx []int) tokLab {
	out := tokLab{tok: make([]float32, 0, len(idx)*lf), lab: make([]int32, 0, len(idx))}
	for _, k := range idx {
		out.tok = append(out.tok, tok[k*lf:(k+1)*lf]...)
		out.lab = append(out.lab, lab[k])
	}
	return out
}

// EvaluateClassifier returns the mean cross-entropy (nats) and the accuracy
// of m on n = len(labels) sequences, and the predicted classes.
//
//	tokens  (n, L, F)
//	labels  (n)
//
// Sequences are fed batch at a time in evaluation mode (no dropout, no
// gradients); the log-sum-exp is done in float64.
func EvaluateClassifier(m *model.Classifier[float32], tokens []float32, labels []int32, L, F, batch int) (loss, acc float64, pred []int, err error) {
	n := len(labels)
	if n == 0 || batch < 1 {
		return 0, 0, nil, fmt.Errorf("train: evaluate classifier: %d sequences, batch %d", n, batch)
	}
	if len(tokens) != n*L*F {
		return 0, 0, nil, fmt.Errorf("train: evaluate classifier: %d token values for (n=%d, L=%d, F=%d)", len(tokens), n, L, F)
	}
	nc := m.Config().Classes
	pred = make([]int, n)
	var sum float64
	correct := 0
	for s := 0; s < n; s += batch {
		b := min(batch, n-s)
		logits, err := m.Predict(tokens[s*L*F:(s+b)*L*F], b)
		if err != nil {
			return 0, 0, nil, fmt.Errorf("train: evaluate classifier: sequences %d..%d: %w", s, s+b-1, err)
		}
		for i := 0; i < b; i++ {
			row := logits[i*nc : (i+1)*nc]
			y := int(labels[s+i])
			if y < 0 || y >= nc {
				return 0, 0, nil, fmt.Errorf("train: evaluate classifier: label %d of sequence %d outside [0, %d)", y, s+i, nc)
			}
			best, mx := 0, math.Inf(-1)
			for c, v := range row {
				if float64(v) > mx {
					best, mx = c, float64(v)
				}
			}
			var se float64
			for _, v := range row {
				se += math.Exp(float64(v) - mx)
			}
			l := mx + math.Log(se) - float64(row[y])
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return 0, 0, nil, fmt.Errorf("train: evaluate classifier: loss of sequence %d is %v", s+i, l)
			}
			sum += l
			pred[s+i] = best
			if best == y {
				correct++
			}
		}
	}
	return sum / float64(n), float64(correct) / float64(n), pred, nil
}

// importanceOf records the learned scores of the first test images of
// distinct classes and the soft permutation matrix of the first of them.
func importanceOf(m *model.Classifier[float32], data *ReorderData, layer int) (*ReorderImportance, error) {
	idx := SampleImages(data.TestLab, reorderSamples)
	lf := data.L * data.F
	sub := gatherTokens(data.TestTok, data.TestLab, lf, idx)
	scores, p, err := m.Reordering(sub.tok, len(idx), layer)
	if err != nil {
		return nil, err
	}
	logits, err := m.Predict(sub.tok, len(idx))
	if err != nil {
		return nil, err
	}
	nc, L := m.Config().Classes, data.L
	imp := &ReorderImportance{Layer: layer}
	for i, k := range idx {
		s := ReorderSample{TestIndex: k, Label: int(data.TestLab[k]), H: data.Test.H, W: data.Test.W,
			Pixels: append([]float32(nil), data.Test.Image(k)...), Scores: make([]float64, L)}
		for l := range s.Scores {
			s.Scores[l] = float64(scores[i*L+l])
		}
		best := 0
		for c := 1; c < nc; c++ {
			if logits[i*nc+c] > logits[i*nc+best] {
				best = c
			}
		}
		s.Predicted = best
		imp.Samples = append(imp.Samples, s)
	}
	imp.PHat = make([][]float64, L)
	for k := range imp.PHat {
		imp.PHat[k] = make([]float64, L)
		for l := range imp.PHat[k] {
			imp.PHat[k][l] = float64(p[k*L+l])
		}
	}
	return imp, nil
}

// SampleImages returns the indices of the first image of each of the first
// k distinct labels met in order (fewer when there are fewer labels).
func SampleImages(labels []int32, k int) []int {
	var idx []int
	seen := map[int32]bool{}
	for i, l := range labels {
		if len(idx) == k {
			break
		}
		if !seen[l] {
			seen[l] = true
			idx = append(idx, i)
		}
	}
	return idx
}
