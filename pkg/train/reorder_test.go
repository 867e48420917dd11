package train

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/idx"
	"github.com/tokendyn/tokendyn/data/vision"
)

// easySet draws n images of size×size pixels of 3 classes: class c has a
// bright 4×4 block in patch 4c (patches 0, 4, 8 of a 12×12 image cut into
// 4×4 patches) on uniform noise in [0, 0.25). Labels cycle 0, 1, 2.
func easySet(n, size int, seed uint64) *vision.Set {
	rng := rand.New(rand.NewPCG(seed, seed))
	s := &vision.Set{N: n, H: size, W: size, Images: make([]float32, n*size*size), Labels: make([]uint8, n)}
	pc := size / 4
	for i := 0; i < n; i++ {
		c := i % 3
		s.Labels[i] = uint8(c)
		img := s.Images[i*size*size : (i+1)*size*size]
		for k := range img {
			img[k] = float32(rng.Float64() * 0.25)
		}
		p := 4 * c
		r0, c0 := (p/pc)*4, (p%pc)*4
		for y := 0; y < 4; y++ {
			for x := 0; x < 4; x++ {
				img[(r0+y)*size+c0+x] = 1
			}
		}
	}
	return s
}

// tinyReorderConfig is a configuration small enough for unit tests.
func tinyReorderConfig() ReorderConfig {
	c := QuickReorderConfig()
	c.TrainSize, c.TestSize, c.TrainEvalSize = 0, 0, 30
	c.DModel, c.NLayer = 8, 2
	c.Epochs, c.Batch, c.EvalBatch = 1, 16, 50
	c.LR = 1e-2
	c.Seeds = []uint64{1, 2}
	c.Threads = 1
	return c
}

func easyData(t *testing.T, cfg ReorderConfig, nTrain, nTest int) *ReorderData {
	t.Helper()
	d, err := NewReorderData(easySet(nTrain, 12, 1), easySet(nTest, 12, 2), 3, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// stripSeconds zeroes the wall times, the only non-deterministic fields.
func stripSeconds(r *ReorderResult) *ReorderResult {
	c := *r
	c.Seconds, c.Threads = 0, 0
	c.Runs = append([]ReorderRun(nil), r.Runs...)
	for i := range c.Runs {
		c.Runs[i].Seconds = 0
		c.Runs[i].Epochs = append([]ReorderEpoch(nil), r.Runs[i].Epochs...)
		for j := range c.Runs[i].Epochs {
			c.Runs[i].Epochs[j].Seconds = 0
		}
	}
	c.Config.Threads = 0
	return &c
}

// TestReorderDeterministic: the same configuration gives identical metrics
// twice, and with 1 or 2 threads (runs are independent and deterministic).
func TestReorderDeterministic(t *testing.T) {
	cfg := tinyReorderConfig()
	data := easyData(t, cfg, 60, 30)
	a, err := RunReorder(context.Background(), data, cfg, ReorderHooks{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RunReorder(context.Background(), data, cfg, ReorderHooks{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Threads = 2
	c, err := RunReorder(context.Background(), data, cfg, ReorderHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stripSeconds(a), stripSeconds(b)) {
		t.Errorf("two runs of the same configuration differ:\n%+v\n%+v", stripSeconds(a).Runs, stripSeconds(b).Runs)
	}
	if !reflect.DeepEqual(stripSeconds(a), stripSeconds(c)) {
		t.Errorf("1 and 2 threads differ:\n%+v\n%+v", stripSeconds(a).Runs, stripSeconds(c).Runs)
	}
	if len(a.Runs) != 4 {
		t.Fatalf("%d runs, want 2 arms × 2 seeds", len(a.Runs))
	}
	// Different seeds give different runs.
	if a.Runs[0].TestLoss == a.Runs[1].TestLoss {
		t.Errorf("seeds 1 and 2 of %s give the same test loss %v", a.Runs[0].Arm, a.Runs[0].TestLoss)
	}
	for _, r := range a.Runs {
		if (r.Importance != nil) != (r.Arm == ArmReorder) {
			t.Errorf("%s seed %d: importance recorded = %v", r.Arm, r.Seed, r.Importance != nil)
		}
	}
}

// TestReorderLearnsEasyTask: on images whose class is a bright patch at a
// class-dependent position, both arms beat chance (1/3) by far.
func TestReorderLearnsEasyTask(t *testing.T) {
	cfg := tinyReorderConfig()
	cfg.Epochs, cfg.Seeds, cfg.Threads = 8, []uint64{3}, 2
	cfg.DModel = 16
	data := easyData(t, cfg, 300, 150)
	r, err := RunReorder(context.Background(), data, cfg, ReorderHooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range r.Runs {
		first, last := run.Epochs[0], run.Epochs[len(run.Epochs)-1]
		t.Logf("%s: test accuracy %.3f → %.3f, loss %.3f → %.3f", run.Arm, first.TestAcc, last.TestAcc, first.TestLoss, last.TestLoss)
		if last.TestAcc < 0.9 {
			t.Errorf("%s: test accuracy %.3f after %d epochs, want ≥ 0.9 (chance 1/3)", run.Arm, last.TestAcc, cfg.Epochs)
		}
		if !(last.TestLoss < math.Log(3)) {
			t.Errorf("%s: test loss %.3f, want below ln 3 = %.3f (uniform guess)", run.Arm, last.TestLoss, math.Log(3))
		}
	}
}

// TestEvaluateClassifierMatchesLoss: the batched evaluation equals the
// model's own mean cross-entropy on the whole set in one batch, and the
// accuracy equals the share of argmax predictions that match.
func TestEvaluateClassifierMatchesLoss(t *testing.T) {
	cfg := tinyReorderConfig()
	data := easyData(t, cfg, 3, 37)
	m, err := NewReorderClassifier(cfg, ArmReorder, data.F, data.Classes, 5)
	if err != nil {
		t.Fatal(err)
	}
	n := len(data.TestLab)
	for i, batch := range []int{1, 7, 50} {
		loss, acc, pred, err := EvaluateClassifier(m, data.TestTok, data.TestLab, data.L, data.F, batch)
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Loss(data.TestTok, data.TestLab, n, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(loss-want) > 1e-5 {
			t.Errorf("%d: batch %d: loss %v, model's Loss %v", i, batch, loss, want)
		}
		logits, _ := m.Predict(data.TestTok, n)
		hits := 0
		for k := 0; k < n; k++ {
			row := logits[k*3 : k*3+3]
			if row[pred[k]] < row[0] || row[pred[k]] < row[1] || row[pred[k]] < row[2] {
				t.Errorf("%d: prediction %d of sequence %d is not the argmax of %v", i, pred[k], k, row)
			}
			if int32(pred[k]) == data.TestLab[k] {
				hits++
			}
		}
		if acc != float64(hits)/float64(n) {
			t.Errorf("%d: accuracy %v, want %v", i, acc, float64(hits)/float64(n))
		}
	}
	if _, _, _, err := EvaluateClassifier(m, data.TestTok[1:], data.TestLab, data.L, data.F, 4); err == nil {
		t.Error("mis-sized tokens: no error")
	}
}

// TestReorderImportanceRecorded: the recorded scores have one value per
// patch, the samples have distinct labels, and P̂ is row-stochastic.
func TestReorderImportanceRecorded(t *testing.T) {
	cfg := tinyReorderConfig()
	cfg.Arms, cfg.Seeds = []string{ArmReorder}, []uint64{4}
	data := easyData(t, cfg, 30, 30)
	r, err := RunReorderJob(context.Background(), data, cfg, ArmReorder, 4, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp := r.Importance
	if imp == nil || len(imp.Samples) != 3 {
		t.Fatalf("importance %+v, want 3 samples (3 classes)", imp)
	}
	seen := map[int]bool{}
	for _, s := range imp.Samples {
		if seen[s.Label] {
			t.Errorf("label %d sampled twice", s.Label)
		}
		seen[s.Label] = true
		if len(s.Scores) != data.L || len(s.Pixels) != s.H*s.W {
			t.Errorf("sample %d: %d scores and %d pixels, want %d and %d", s.TestIndex, len(s.Scores), len(s.Pixels), data.L, s.H*s.W)
		}
		if int32(s.Label) != data.TestLab[s.TestIndex] {
			t.Errorf("sample %d: label %d, data says %d", s.TestIndex, s.Label, data.TestLab[s.TestIndex])
		}
	}
	if len(imp.PHat) != data.L {
		t.Fatalf("P̂ has %d rows, want %d", len(imp.PHat), data.L)
	}
	// Row k of P̂ peaks at the token with the k-th smallest score.
	s0 := imp.Samples[0].Scores
	for k, row := range imp.PHat {
		var sum float64
		arg := 0
		for l, v := range row {
			sum += v
			if v > row[arg] {
				arg = l
			}
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("row %d of P̂ sums to %v", k, sum)
		}
		smaller := 0
		for _, v := range s0 {
			if v < s0[arg] {
				smaller++
			}
		}
		if smaller != k {
			t.Errorf("row %d of P̂ peaks at token %d, which has %d smaller scores, want %d", k, arg, smaller, k)
		}
	}
}

// writeIDXDir writes synthetic data sets as the four Fashion-MNIST files
// (plain IDX under the .gz names: the reader accepts both).
func writeIDXDir(t *testing.T, dir string, train, test *vision.Set) {
	t.Helper()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	enc := func(s *vision.Set) []byte {
		px := make([]byte, len(s.Images))
		for i, v := range s.Images {
			px[i] = byte(math.Round(float64(v) * 255))
		}
		return (&idx.Images{N: s.N, Rows: s.H, Cols: s.W, Pixels: px}).Encode()
	}
	write(vision.FashionTrainImages, enc(train))
	write(vision.FashionTrainLabels, idx.EncodeLabels(train.Labels))
	write(vision.FashionTestImages, enc(test))
	write(vision.FashionTestLabels, idx.EncodeLabels(test.Labels))
}

// TestReorderCache: the first call runs and stores, the second reuses the
// stored result and says so; a configuration change, a source change or a
// data change makes a new key; Threads and DataDir do not.
func TestReorderCache(t *testing.T) {
	root := t.TempDir()
	dataDir := filepath.Join(root, "fashion")
	for _, d := range []string{dataDir, filepath.Join(root, "pkg", "mamba")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(root, "pkg", "mamba", "model.go")
	if err := os.WriteFile(src, []byte("package mamba\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeIDXDir(t, dataDir, easySet(40, 12, 1), easySet(20, 12, 2))
	cfg := tinyReorderConfig()
	cfg.DataDir = dataDir
	cfg.Seeds = []uint64{1}
	ctx := context.Background()

	var log bytes.Buffer
	a, cached, err := LoadOrRunReorder(ctx, root, cfg, ReorderHooks{}, &log)
	if err != nil {
		t.Fatal(err)
	}
	if cached || !strings.Contains(log.String(), "no cached result") || !strings.Contains(log.String(), "stored") {
		t.Errorf("first call: cached=%v, log %q", cached, log.String())
	}
	log.Reset()
	b, cached, err := LoadOrRunReorder(ctx, root, cfg, ReorderHooks{}, &log)
	if err != nil {
		t.Fatal(err)
	}
	if !cached || !strings.Contains(log.String(), "reusing the cached result") {
		t.Errorf("second call: cached=%v, log %q", cached, log.String())
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("cached result differs from the stored one:\n%+v\n%+v", a, b)
	}
	if a.TrainImages != 40 || a.TestImages != 20 || a.Tokens != [2]int{9, 16} {
		t.Errorf("result: %d train, %d test images, tokens %v; want 40, 20, [9 16]", a.TrainImages, a.TestImages, a.Tokens)
	}

	digest, err := FashionDigest(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	key := func(c ReorderConfig, d string) string {
		k, err := ReorderKey(root, c, d)
		if err != nil {
			t.Fatal(err)
		}
		return k.Hash()
	}
	base := key(cfg, digest)
	if base != a.Key {
		t.Errorf("stored key %s, recomputed %s", a.Key, base)
	}
	for i, test := range []struct {
		name   string
		edit   func(*ReorderConfig)
		change bool
	}{
		{"epochs", func(c *ReorderConfig) { c.Epochs++ }, true},
		{"seed", func(c *ReorderConfig) { c.Seeds = []uint64{2} }, true},
		{"reorder z", func(c *ReorderConfig) { c.ReorderZ = true }, true},
		{"inverse permutation", func(c *ReorderConfig) { c.InversePermute = true }, true},
		{"single dt bias", func(c *ReorderConfig) { c.SingleDtBias = true }, true},
		{"train size", func(c *ReorderConfig) { c.TrainSize = 20 }, true},
		{"lr", func(c *ReorderConfig) { c.LR *= 2 }, true},
		{"threads", func(c *ReorderConfig) { c.Threads = 7 }, false},
		{"data dir", func(c *ReorderConfig) { c.DataDir = "/elsewhere" }, false},
	} {
		c := cfg
		c.Seeds = append([]uint64(nil), cfg.Seeds...)
		test.edit(&c)
		if got := key(c, digest) != base; got != test.change {
			t.Errorf("%d (%s): key changed = %v, want %v", i, test.name, got, test.change)
		}
	}
	if key(cfg, digest+"x") == base {
		t.Error("a different data digest kept the key")
	}
	// A source change invalidates the cache; a test file does not.
	if err := os.WriteFile(filepath.Join(root, "pkg", "mamba", "model_test.go"), []byte("package mamba\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if key(cfg, digest) != base {
		t.Error("adding a _test.go file changed the key")
	}
	if err := os.WriteFile(src, []byte("package mamba\n\n// edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if key(cfg, digest) == base {
		t.Error("editing a source file kept the key")
	}
	log.Reset()
	if _, cached, err := LoadOrRunReorder(ctx, root, cfg, ReorderHooks{}, &log); err != nil || cached {
		t.Errorf("after a source edit: cached=%v, err=%v, log %q", cached, err, log.String())
	}
}

func TestReorderConfigValidate(t *testing.T) {
	if err := DefaultReorderConfig().Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	if err := QuickReorderConfig().Validate(); err != nil {
		t.Fatalf("quick: %v", err)
	}
	for i, test := range []struct {
		edit func(*ReorderConfig)
		want string
	}{
		{func(c *ReorderConfig) { c.Epochs = 0 }, "epochs"},
		{func(c *ReorderConfig) { c.Batch = -1 }, "batch"},
		{func(c *ReorderConfig) { c.ReorderLayer = 4 }, "reorder_layer"},
		{func(c *ReorderConfig) { c.Tau = 0 }, "tau"},
		{func(c *ReorderConfig) { c.Tau = math.NaN() }, "tau"},
		{func(c *ReorderConfig) { c.Arms = []string{"sideways"} }, "unknown arm"},
		{func(c *ReorderConfig) { c.Arms = []string{ArmReorder, ArmReorder} }, "twice"},
		{func(c *ReorderConfig) { c.Seeds = nil }, "no seeds"},
		{func(c *ReorderConfig) { c.Seeds = []uint64{1, 1} }, "twice"},
		{func(c *ReorderConfig) { c.LR = math.Inf(1) }, "peak"},
		{func(c *ReorderConfig) { c.TrainSize = -1 }, "train_size"},
		{func(c *ReorderConfig) { c.WeightDecay = -1 }, "weight decay"},
		{func(c *ReorderConfig) { c.Clip = math.NaN() }, "clip"},
	} {
		c := DefaultReorderConfig()
		test.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%d: error %v, want one naming %q", i, err, test.want)
		}
	}
}

// TestReorderSummary checks the aggregation on hand-made runs.
func TestReorderSummary(t *testing.T) {
	cfg := tinyReorderConfig()
	cfg.Epochs, cfg.Seeds = 2, []uint64{1, 2, 3}
	mk := func(arm string, seed uint64, acc1, acc2 float64) ReorderRun {
		return ReorderRun{Arm: arm, Seed: seed, Params: 10, TestAcc: acc2, TestLoss: 1 - acc2,
			Epochs: []ReorderEpoch{{Epoch: 1, TestAcc: acc1, TestLoss: 1 - acc1}, {Epoch: 2, TestAcc: acc2, TestLoss: 1 - acc2}}}
	}
	r := &ReorderResult{Config: cfg, Runs: []ReorderRun{
		mk(ArmBaseline, 1, 0.5, 0.7), mk(ArmBaseline, 2, 0.6, 0.8), mk(ArmBaseline, 3, 0.4, 0.9),
		mk(ArmReorder, 1, 0.5, 0.6), mk(ArmReorder, 2, 0.5, 0.6), mk(ArmReorder, 3, 0.5, 0.6),
	}}
	s := r.Summary()
	if len(s) != 2 || s[0].Arm != ArmBaseline || s[1].Arm != ArmReorder {
		t.Fatalf("summary %+v", s)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(s[0].TestAcc.Mean, 0.8) || !near(s[0].TestAcc.SD, 0.1) || s[0].TestAcc.N != 3 {
		t.Errorf("baseline accuracy %+v, want mean 0.8, sd 0.1 (n−1), n 3", s[0].TestAcc)
	}
	if !near(s[0].MeanTestAcc.Mean, (0.6+0.7+0.65)/3) {
		t.Errorf("baseline mean-over-epochs accuracy %v", s[0].MeanTestAcc.Mean)
	}
	if s[1].TestAcc.SD != 0 || !near(s[1].TestAcc.Mean, 0.6) {
		t.Errorf("reorder accuracy %+v, want 0.6 ± 0", s[1].TestAcc)
	}
	c := r.Curves(MetricTestAcc)
	if len(c) != 2 || !reflect.DeepEqual(c[0].Epochs, []int{1, 2}) {
		t.Fatalf("curves %+v", c)
	}
	if !near(c[0].Mean[0], 0.5) || c[0].Min[0] != 0.4 || c[0].Max[0] != 0.6 || c[0].Max[1] != 0.9 {
		t.Errorf("baseline curve %+v", c[0])
	}
	if r.Curves("nonsense") != nil {
		t.Error("unknown metric gave curves")
	}
}

func TestStratifiedSubset(t *testing.T) {
	s := easySet(300, 12, 9)
	idx, err := StratifiedSubset(s, 60, 3)
	if err != nil {
		t.Fatal(err)
	}
	counts := [3]int{}
	for _, i := range idx {
		counts[s.Labels[i]]++
	}
	if counts != [3]int{20, 20, 20} {
		t.Errorf("class counts %v, want 20 each", counts)
	}
	all, _ := StratifiedSubset(s, 0, 3)
	if len(all) != 300 {
		t.Errorf("size 0 gave %d indices, want all 300", len(all))
	}
}

// TestReorderFashionMNISTSmoke: the quick configuration (3 epochs of 2 000
// images) on real Fashion-MNIST beats chance (10 %) clearly. Skipped without
// the data.
func TestReorderFashionMNISTSmoke(t *testing.T) {
	cfg := QuickReorderConfig()
	cfg.TrainEvalSize = 0
	data, err := LoadReorderData(cfg)
	if err != nil {
		t.Skipf("Fashion-MNIST not available: %v", err)
	}
	if data.L != 49 || data.F != 16 || data.Train.N != 2000 || data.Test.N != 1000 {
		t.Fatalf("data: L=%d F=%d, %d/%d images; want 49, 16, 2000/1000", data.L, data.F, data.Train.N, data.Test.N)
	}
	r, err := RunReorderJob(context.Background(), data, cfg, ArmReorder, 1, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3 epochs on 2000 images: test accuracy %.3f, loss %.3f", r.TestAcc, r.TestLoss)
	if r.TestAcc < 0.5 {
		t.Errorf("test accuracy %.3f, want ≥ 0.5 (chance 0.1)", r.TestAcc)
	}
}

// TestReorderJobWorkersInvariant: the scan's worker count does not change a
// run (the backward reduces per batch element in a fixed order). The sizes
// put B·D·L·N above the threshold at which the scan starts goroutines.
func TestReorderJobWorkersInvariant(t *testing.T) {
	cfg := tinyReorderConfig()
	cfg.DModel, cfg.Batch, cfg.TrainEvalSize = 32, 32, 0
	data, err := NewReorderData(easySet(64, 28, 1), easySet(16, 28, 2), 3, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := cfg.Batch * cfg.DModel / 2 * data.L * cfg.DState; n < 1<<16 {
		t.Fatalf("B·D·L·N = %d is below the parallel threshold", n)
	}
	var runs [2]ReorderRun
	for i, w := range []int{1, 2} {
		r, err := RunReorderJob(context.Background(), data, cfg, ArmReorder, 1, w, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Seconds = 0
		for j := range r.Epochs {
			r.Epochs[j].Seconds = 0
		}
		runs[i] = r
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Errorf("1 and 2 scan workers differ:\n%+v\n%+v", runs[0].Epochs, runs[1].Epochs)
	}
}
