package runner

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// reorderFingerprintSpec is spec as ReorderNumerics runs it: one epoch of
// batch 4 on 16 synthetic images (4 updates), the warm-up stretched to 2
// updates and the clipping threshold lowered to 0.05 (when spec clips), so
// that the fingerprint runs the warm-up and the clipping paths.
func reorderFingerprintSpec(spec reorder.Spec) reorder.Spec {
	s := spec
	s.Epochs, s.Batch, s.Probe, s.EvalBatch = 1, 4, 2, 8
	s.WarmupFrac = 0.5
	if s.Clip > 0 {
		s.Clip = min(s.Clip, 0.05)
	}
	return s
}

// ReorderNumerics is the numerics fingerprint of spec's code path: the hash of
// every number (training losses, test losses and accuracies, row maxima,
// final weights) of a short deterministic run of runJob with spec's model
// and optimizer, every arm and patch size, one seed, one epoch of batch 4
// on 16 synthetic 28×28 images. It changes with any edit that changes a
// number of the experiment and with none that does not.
func ReorderNumerics(ctx context.Context, spec reorder.Spec) (string, error) {
	s := reorderFingerprintSpec(spec)
	d, err := reorder.NewData(syntheticSet(16, 1), syntheticSet(8, 2), 2, s, "synthetic")
	if err != nil {
		return "", err
	}
	var series [][]float64
	for _, p := range s.Patches {
		for _, a := range s.Arms {
			r, err := runJob(ctx, d, d.Tokens[p], s, a, 1, 1, nil)
			if err != nil {
				return "", fmt.Errorf("reorder: numerics fingerprint: %w", err)
			}
			var xs []float64
			for _, e := range r.Epochs {
				xs = append(xs, e.TrainLoss, e.TestLoss, e.TestAcc, e.RowMax)
			}
			w := make([]float64, len(r.Weights))
			for i := range len(r.Weights) {
				w[i] = float64(r.Weights[i])
			}
			series = append(series, xs, w) // the final weights' hash, a character at a time
		}
	}
	return experiment.Fingerprint(series...), nil
}

// syntheticSet is n 28×28 images of 2 classes: class c has a bright
// 4×4 block at patch 4c+1 on deterministic noise.
func syntheticSet(n int, seed uint64) *vision.Set {
	s := &vision.Set{N: n, H: 28, W: 28, Images: make([]float32, n*784), Labels: make([]uint8, n)}
	x := seed*0x9e3779b97f4a7c15 + 1
	for i := 0; i < n; i++ {
		c := i % 2
		s.Labels[i] = uint8(c)
		img := s.Images[i*784 : (i+1)*784]
		for k := range img {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			img[k] = float32(x>>40) / float32(1<<24) * 0.25
		}
		r0, c0 := 4*((4*c+1)/7), 4*((4*c+1)%7)
		for y := 0; y < 4; y++ {
			for xx := 0; xx < 4; xx++ {
				img[(r0+y)*28+c0+xx] = 1
			}
		}
	}
	return s
}

// ReorderKey is the cache key of spec on the data of digest.
func ReorderKey(ctx context.Context, spec reorder.Spec, digest string) (experiment.Key, error) {
	if err := spec.Validate(); err != nil {
		return experiment.Key{}, err
	}
	b, err := spec.SpecJSON()
	if err != nil {
		return experiment.Key{}, err
	}
	num, err := ReorderNumerics(ctx, spec)
	if err != nil {
		return experiment.Key{}, err
	}
	return experiment.Key{Spec: b, Data: digest, Numerics: num}, nil
}

// Reorder returns the cached result of spec under root, or loads the
// data, runs the experiment, stores the result and returns it; cached says
// which. What happens is said on log (may be nil).
func Reorder(ctx context.Context, root string, spec reorder.Spec, h Hooks, log io.Writer) (res *reorder.Result, cached bool, err error) {
	if log == nil {
		log = io.Discard
	}
	// The pre-registration is read first: a design that cannot be decided
	// is not trained.
	if err := (&reorder.Result{Spec: spec}).LoadPrereg(root); err != nil {
		return nil, false, err
	}
	digest, err := reorder.FashionDigest(spec.DataDir)
	if err != nil {
		return nil, false, err
	}
	key, err := ReorderKey(ctx, spec, digest)
	if err != nil {
		return nil, false, err
	}
	hash := key.Hash()
	path := experiment.CachePath(root, reorder.CacheName, hash)
	rel, _ := filepath.Rel(root, path)
	specJSON, err := spec.SpecJSON()
	if err != nil {
		return nil, false, err
	}
	r, err := reorder.LoadKeyed(root, spec, hash)
	if err != nil {
		fmt.Fprintf(log, "experiment reorder: %v; recomputing\n", err)
	}
	if r != nil {
		fmt.Fprintf(log, "experiment reorder: reusing the cached result %s (key %s: same specification, data and numerics)\n", rel, hash[:16])
		return r, true, experiment.WriteCurrent(root, reorder.CacheName, specJSON, hash)
	}
	fmt.Fprintf(log, "experiment reorder: no cached result for key %s: running %d patch sizes × %d arms × %d seeds\n",
		hash[:16], len(spec.Patches), len(spec.Arms), len(spec.Seeds))
	d, err := reorder.LoadData(spec)
	if err != nil {
		return nil, false, err
	}
	if d.Digest != digest {
		return nil, false, fmt.Errorf("reorder: the data files changed while the experiment started")
	}
	if r, err = RunReorder(ctx, spec, d, h); err != nil {
		return nil, false, err
	}
	r.Key, r.Numerics = hash, key.Numerics
	if err := reorder.Store(root, r); err != nil {
		return nil, false, err
	}
	if err := r.Decided(root, spec.Prereg); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment reorder: stored %s (%.0f s)\n", rel, r.Seconds)
	return r, false, experiment.WriteCurrent(root, reorder.CacheName, specJSON, hash)
}

// RunReorder trains every (patch, arm, seed) of spec on d, spec.Threads runs at a
// time (0: GOMAXPROCS), each with its own model: the result does not depend
// on the thread count.
func RunReorder(ctx context.Context, spec reorder.Spec, d *reorder.Data, h Hooks) (*reorder.Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	for _, p := range spec.Patches {
		if _, ok := d.Tokens[p]; !ok {
			return nil, fmt.Errorf("reorder: the data have no tokens of patch size %d", p)
		}
	}
	start := time.Now()
	threads := spec.Threads
	if threads == 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	jobs := spec.Jobs()
	par := min(threads, len(jobs))
	workers := max(1, threads/par)
	spe := (d.Train.N + spec.Batch - 1) / spec.Batch
	total := len(jobs) * spec.Epochs * spe
	var mu sync.Mutex
	done := 0
	runs, err := parallel.Map(ctx, len(jobs), par, func() struct{} { return struct{}{} }, func(ctx context.Context, _ struct{}, i int) (reorder.Record, error) {
		j := jobs[i]
		return runJob(ctx, d, d.Tokens[j.Patch], spec, j.Arm, j.Seed, workers, func() {
			if h.OnStep == nil {
				return
			}
			mu.Lock()
			done++
			h.OnStep(done, total)
			mu.Unlock()
		})
	}, func(_ int, r reorder.Record, _ int) {
		if h.OnRun != nil {
			h.OnRun(fmt.Sprintf("%s, %d tokens, seed %d: test accuracy %.2f %%", r.Arm, r.L, r.Seed, 100*r.TestAcc))
		}
	})
	if err != nil {
		return nil, err
	}
	r := &reorder.Result{
		Spec: spec, Data: d.Digest, Source: d.Source,
		TrainImages: d.Train.N, TestImages: d.Test.N, FullTrain: d.FullTrain, FullTest: d.FullTest,
		Go:      fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Threads: threads, Seconds: time.Since(start).Seconds(), Runs: runs,
	}
	for _, p := range spec.Patches {
		r.Features = append(r.Features, d.Tokens[p].F)
		acc, err := LinearBaseline(ctx, d, d.Tokens[p], spec, spec.Seeds[0])
		if err != nil {
			return nil, err
		}
		r.Linear = append(r.Linear, reorder.LinearRef{Patch: p, Seed: spec.Seeds[0], TestAcc: acc})
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// weightsHash is the fingerprint of the weights' exact bits.
func weightsHash(ps []*model.Param[float32]) string {
	var all []float64
	for _, p := range ps {
		for _, v := range p.W {
			all = append(all, float64(v))
		}
	}
	return experiment.Fingerprint(all)
}

const importanceSamples = 4

// reorderStream separates the importance weights' random stream from the
// shared weights' (PCG(seed, seed)).
const reorderStream = 0x6a09e667f3bcc909

// NewClassifier builds the float32 classifier of arm a for seed: the
// shared weights from PCG(seed, seed), the importance weights from
// PCG(seed, seed ⊕ reorderStream), the weight-decay grouping of spec.
func NewClassifier(spec reorder.Spec, a reorder.Arm, features, classes int, seed uint64) (*model.Classifier[float32], error) {
	m, err := model.NewClassifierStreams[float32](spec.ClassifierConfig(a, features, classes),
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
func runJob(ctx context.Context, d *reorder.Data, tok reorder.Tokens, spec reorder.Spec, a reorder.Arm, seed uint64, workers int, onStep func()) (reorder.Record, error) {
	start := time.Now()
	m, err := NewClassifier(spec, a, tok.F, d.Classes, seed)
	if err != nil {
		return reorder.Record{}, err
	}
	m.SetWorkers(max(1, workers))
	ps := m.Params()
	opt, err := optim.NewAdamW(ps, 0.9, 0.999, 1e-8, spec.WeightDecay)
	if err != nil {
		return reorder.Record{}, err
	}
	opt.Workers = max(1, workers)
	n := d.Train.N
	spe := (n + spec.Batch - 1) / spec.Batch
	total := spe * spec.Epochs
	order := optim.NewOrder(n, seed)
	lf := tok.L * tok.F
	feat := make([]float32, spec.Batch*lf)
	lab := make([]int32, spec.Batch)
	b := 0 // images in the current mini-batch
	run := reorder.Record{Patch: tok.Patch, L: tok.L, Arm: a.Name, Seed: seed, Params: train.CountParams(ps), Steps: total}
	where := fmt.Sprintf("reorder: %s, %d tokens, seed %d", a.Name, tok.L, seed)
	var lossSum float64
	loop := &optim.Loop[float32]{
		Opt: opt, Params: ps, Sched: reorderSchedule(spec, total), Steps: total, Accum: 1,
		Clip: spec.Clip, Seed: seed, Name: where,
		Batches: optim.BatchFunc(func(update, _ int) {
			b = cutImages(update, spe, spec.Batch, order, tok.Train, d.TrainLab, feat, lab)
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
				e := reorder.Epoch{Epoch: ep, Step: st.Step, LR: st.LR, TrainLoss: lossSum / float64(spe)}
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
		return reorder.Record{}, err
	}
	last := run.Epochs[len(run.Epochs)-1]
	run.TestAcc, run.TestLoss = last.TestAcc, last.TestLoss
	if a.Reorder {
		if run.Importance, err = importanceOf(m, d, tok, spec.ReorderLayer); err != nil {
			return reorder.Record{}, fmt.Errorf("%s: %w", where, err)
		}
	}
	run.Weights = weightsHash(ps)
	run.Seconds = time.Since(start).Seconds()
	return run, nil
}

// rowMax is the mean over the first spec.Probe test images and over the
// rows k of the soft permutation of max_l P̂[k,l].
func rowMax(m *model.Classifier[float32], tok reorder.Tokens, spec reorder.Spec) (float64, error) {
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
func importanceOf(m *model.Classifier[float32], d *reorder.Data, tok reorder.Tokens, layer int) (*reorder.Importance, error) {
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
	imp := &reorder.Importance{Layer: layer}
	for i, k := range idx {
		s := reorder.Sample{TestIndex: k, Label: int(d.TestLab[k]), H: d.Test.H, W: d.Test.W,
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

// reorderSchedule is the learning rate of s over steps optimizer updates.
func reorderSchedule(s reorder.Spec, steps int) optim.Cosine {
	return optim.Cosine{
		Peak: s.LR, Min: s.MinLRRatio * s.LR, WarmupInit: s.WarmupInit,
		Warmup: int(math.Round(s.WarmupFrac * float64(steps))), Total: steps,
	}
}

// cutImages fills x (images × L·F token values) and y with the mini-batch
// of update: batch images of epoch update/spe (spe updates per epoch) in
// the seeded order, the last mini-batch of an epoch shorter. It returns the
// number of images. Both classifiers of the vision experiment (the Mamba
// one and the linear reference) cut their batches with it.
func cutImages(update, spe, batch int, order *optim.Order, tokens []float32, labels []int32, x []float32, y []int32) int {
	n, lf := len(labels), len(tokens)/len(labels)
	ep, j := update/spe, update%spe
	m := min(batch, n-j*batch)
	for i := 0; i < m; i++ {
		k := order.At(ep*n + j*batch + i)
		copy(x[i*lf:(i+1)*lf], tokens[k*lf:(k+1)*lf])
		y[i] = labels[k]
	}
	return m
}
