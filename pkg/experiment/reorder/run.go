package reorder

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// Epoch is the state of one run after an epoch.
//
//	TrainLoss         mean training cross-entropy of the epoch's updates (each before its update)
//	TestLoss, TestAcc on the test subset after the epoch (never used for any choice)
//	RowMax            mean over Spec.Probe test images and the L rows of the soft permutation
//	                  P̂ of max_l P̂[k,l]: 1/L for uniform rows, 1 for a permutation; 0 for the baseline
//	Seconds           wall time since the start of the run (not deterministic)
type Epoch struct {
	Epoch     int     `json:"epoch"`
	Step      int     `json:"step"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"`
	TestLoss  float64 `json:"test_loss"`
	TestAcc   float64 `json:"test_acc"`
	RowMax    float64 `json:"row_max"`
	Seconds   float64 `json:"seconds"`
}

// Record is one trained model: a patch size, an arm and a seed.
type Record struct {
	Patch    int     `json:"patch"`
	L        int     `json:"tokens"`
	Arm      string  `json:"arm"`
	Seed     uint64  `json:"seed"`
	Params   int     `json:"params"` // trainable scalars
	Steps    int     `json:"steps"`  // optimizer updates
	Epochs   []Epoch `json:"epochs"`
	TestAcc  float64 `json:"test_acc"` // after the last epoch
	TestLoss float64 `json:"test_loss"`
	Seconds  float64 `json:"seconds"` // not deterministic
	// Importance: for a reordering arm, what the trained block does on a
	// few test images.
	Importance *Importance `json:"importance,omitempty"`
	// Weights is the hash of the final weights (experiment.Fingerprint).
	Weights string `json:"weights"`
}

// Importance is the learned importance scores of a few test images of
// distinct classes and the soft permutation of the first.
//
//	Samples[i].Scores  (L)     s_l = K(S_Δ x_l + b_dt) in patch order
//	PHat               (L, L)  P̂ = SoftSort(−s) of Samples[0]
type Importance struct {
	Layer   int         `json:"layer"`
	Samples []Sample    `json:"samples"`
	PHat    [][]float64 `json:"phat"`
}

// Sample is one test image with its patch scores.
type Sample struct {
	TestIndex int       `json:"test_index"`
	Label     int       `json:"label"`
	Predicted int       `json:"predicted"`
	H         int       `json:"h"`
	W         int       `json:"w"`
	Pixels    []float32 `json:"pixels"` // (H, W) in [0, 1]
	Scores    []float64 `json:"scores"` // (L)
}

const importanceSamples = 4

// reorderStream separates the importance weights' random stream from the
// shared weights' (PCG(seed, seed)).
const reorderStream = 0x6a09e667f3bcc909

// NewClassifier builds the float32 classifier of arm a for seed: the
// shared weights from PCG(seed, seed), the importance weights from
// PCG(seed, seed ⊕ reorderStream), the weight-decay grouping of spec.
func NewClassifier(spec Spec, a Arm, features, classes int, seed uint64) (*model.Classifier[float32], error) {
	m, err := model.NewClassifierStreams[float32](spec.classifierConfig(a, features, classes),
		rand.New(rand.NewPCG(seed, seed)), rand.New(rand.NewPCG(seed, seed^reorderStream)))
	if err != nil {
		return nil, fmt.Errorf("reorder: %w", err)
	}
	if err := optim.DecayGroups(m.Params(), spec.DecayGroups); err != nil {
		return nil, fmt.Errorf("reorder: %w", err)
	}
	return m, nil
}

// runJob trains arm a with seed on the tokens of patch size tok.Patch
// through optim.Loop (the loop Trainer drives: finiteness checks,
// global-norm clipping, AdamW at the cosine learning rate) and evaluates
// it after every epoch. An update is one mini-batch, no accumulation: the
// cross-entropy of the next spec.Batch images in the seeded order
// (optim.Order: a fresh permutation every epoch, the same in every arm;
// the last mini-batch of an epoch holds the remainder), dropout from
// optim.DropoutRNG(seed, update). onStep, when not nil, follows every update.
func runJob(ctx context.Context, d *Data, tok Tokens, spec Spec, a Arm, seed uint64, workers int, onStep func()) (Record, error) {
	start := time.Now()
	m, err := NewClassifier(spec, a, tok.F, d.Classes, seed)
	if err != nil {
		return Record{}, err
	}
	m.SetWorkers(max(1, workers))
	ps := m.Params()
	opt, err := optim.NewAdamW(ps, 0.9, 0.999, 1e-8, spec.WeightDecay)
	if err != nil {
		return Record{}, err
	}
	n := d.Train.N
	spe := (n + spec.Batch - 1) / spec.Batch
	total := spe * spec.Epochs
	order := optim.NewOrder(n, seed)
	lf := tok.L * tok.F
	feat := make([]float32, spec.Batch*lf)
	lab := make([]int32, spec.Batch)
	b := 0 // images in the current mini-batch
	run := Record{Patch: tok.Patch, L: tok.L, Arm: a.Name, Seed: seed, Params: train.CountParams(ps), Steps: total}
	where := fmt.Sprintf("reorder: %s, %d tokens, seed %d", a.Name, tok.L, seed)
	var lossSum float64
	loop := &optim.Loop[float32]{
		Opt: opt, Params: ps, Sched: spec.schedule(total), Steps: total, Accum: 1,
		Clip: spec.Clip, Seed: seed, Name: where,
		Batches: optim.BatchFunc(func(update, _ int) {
			ep, j := update/spe, update%spe
			b = min(spec.Batch, n-j*spec.Batch)
			for i := 0; i < b; i++ {
				k := order.At(ep*n + j*spec.Batch + i)
				copy(feat[i*lf:(i+1)*lf], tok.Train[k*lf:(k+1)*lf])
				lab[i] = d.TrainLab[k]
			}
		}),
		Loss: func(_, _ int, rng *rand.Rand) (float64, error) {
			return m.Loss(feat[:b*lf], lab[:b], b, true, rng)
		},
		Hooks: optim.LoopHooks{
			OnUpdate: func(st optim.StepStats) error {
				lossSum += st.Loss
				if onStep != nil {
					onStep()
				}
				return nil
			},
			EvalEvery: spe,
			OnEval: func(st optim.StepStats) error {
				ep := st.Step / spe
				e := Epoch{Epoch: ep, Step: st.Step, LR: st.LR, TrainLoss: lossSum / float64(spe)}
				lossSum = 0
				var err error
				if e.TestLoss, e.TestAcc, _, err = Evaluate(m, tok.Test, d.TestLab, tok.L, tok.F, spec.EvalBatch); err != nil {
					return fmt.Errorf("%s, epoch %d: %w", where, ep, err)
				}
				if a.Reorder {
					if e.RowMax, err = rowMax(m, tok, spec); err != nil {
						return fmt.Errorf("%s, epoch %d: %w", where, ep, err)
					}
				}
				e.Seconds = time.Since(start).Seconds()
				run.Epochs = append(run.Epochs, e)
				return nil
			},
		},
	}
	if err := loop.Run(ctx); err != nil {
		return Record{}, err
	}
	last := run.Epochs[len(run.Epochs)-1]
	run.TestAcc, run.TestLoss = last.TestAcc, last.TestLoss
	if a.Reorder {
		if run.Importance, err = importanceOf(m, d, tok, spec.ReorderLayer); err != nil {
			return Record{}, fmt.Errorf("%s: %w", where, err)
		}
	}
	run.Weights = weightsHash(ps)
	run.Seconds = time.Since(start).Seconds()
	return run, nil
}

// rowMax is the mean over the first spec.Probe test images and over the
// rows k of the soft permutation of max_l P̂[k,l].
func rowMax(m *model.Classifier[float32], tok Tokens, spec Spec) (float64, error) {
	nb := min(spec.Probe, len(tok.Test)/(tok.L*tok.F))
	_, p, err := m.Reordering(tok.Test[:nb*tok.L*tok.F], nb, spec.ReorderLayer)
	if err != nil {
		return 0, err
	}
	var s float64
	for r := 0; r < nb*tok.L; r++ {
		s += float64(slices.Max(p[r*tok.L : (r+1)*tok.L]))
	}
	return s / float64(nb*tok.L), nil
}

// Evaluate returns the mean cross-entropy (nats) and the accuracy of m on
// n = len(labels) sequences, and the predicted classes.
//
//	tokens  (n, L, F)
//	labels  (n)
//
// Sequences go batch at a time in evaluation mode; the log-sum-exp is in
// float64.
func Evaluate(m *model.Classifier[float32], tokens []float32, labels []int32, L, F, batch int) (loss, acc float64, pred []int, err error) {
	n := len(labels)
	if n == 0 || batch < 1 || len(tokens) != n*L*F {
		return 0, 0, nil, fmt.Errorf("reorder: evaluate: %d token values for %d sequences of (L=%d, F=%d), batch %d", len(tokens), n, L, F, batch)
	}
	nc := m.Config().Classes
	pred = make([]int, n)
	var sum float64
	correct := 0
	for s := 0; s < n; s += batch {
		b := min(batch, n-s)
		logits, err := m.Predict(tokens[s*L*F:(s+b)*L*F], b)
		if err != nil {
			return 0, 0, nil, fmt.Errorf("reorder: evaluate: sequences %d..%d: %w", s, s+b-1, err)
		}
		for i := 0; i < b; i++ {
			row := logits[i*nc : (i+1)*nc]
			y := int(labels[s+i])
			if y < 0 || y >= nc {
				return 0, 0, nil, fmt.Errorf("reorder: evaluate: label %d of sequence %d outside [0, %d)", y, s+i, nc)
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
				return 0, 0, nil, fmt.Errorf("reorder: evaluate: loss of sequence %d is %v", s+i, l)
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

// importanceOf records the scores of the first test images of distinct
// classes and the soft permutation of the first of them.
func importanceOf(m *model.Classifier[float32], d *Data, tok Tokens, layer int) (*Importance, error) {
	idx := SampleImages(d.TestLab, importanceSamples)
	lf := tok.L * tok.F
	var feat []float32
	for _, k := range idx {
		feat = append(feat, tok.Test[k*lf:(k+1)*lf]...)
	}
	scores, p, err := m.Reordering(feat, len(idx), layer)
	if err != nil {
		return nil, err
	}
	logits, err := m.Predict(feat, len(idx))
	if err != nil {
		return nil, err
	}
	nc, L := m.Config().Classes, tok.L
	imp := &Importance{Layer: layer}
	for i, k := range idx {
		s := Sample{TestIndex: k, Label: int(d.TestLab[k]), H: d.Test.H, W: d.Test.W,
			Pixels: slices.Clone(d.Test.Image(k)), Scores: make([]float64, L)}
		for l := range s.Scores {
			s.Scores[l] = float64(scores[i*L+l])
		}
		for c := 1; c < nc; c++ {
			if logits[i*nc+c] > logits[i*nc+s.Predicted] {
				s.Predicted = c
			}
		}
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

// SampleImages returns the indices of the first image of each of the
// first k distinct labels met in order (fewer when there are fewer labels).
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
