package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/pkg/mamba"
)

// randTokens returns n tokens in [0, v).
func randTokens(rng *rand.Rand, n, v int) []int32 {
	t := make([]int32, n)
	for i := range t {
		t[i] = int32(rng.IntN(v))
	}
	return t
}

// checkModelGrad compares every parameter's G (from one training call of
// loss) with central differences of the evaluation loss, on up to perParam
// sampled coordinates of each tensor.
func checkModelGrad(t *testing.T, name string, params []*Param[float64], train, eval func() float64, perParam int) {
	t.Helper()
	for _, p := range params {
		p.ZeroGrad()
	}
	train()
	// Snapshot every gradient first: eval may be a training call that adds to G.
	grads := make([][]float64, len(params))
	for i, p := range params {
		grads[i] = append([]float64(nil), p.G...)
	}
	rng := gradcheck.NewRNG(900)
	for i, p := range params {
		gradcheck.Check(t, name+" "+p.Name, p.W, grads[i], gradcheck.SampleIdx(rng, len(p.W), perParam), eval)
	}
}

func TestLMGradient(t *testing.T) {
	for i, kind := range []string{ParamNone, ParamPos, ParamNeg, ParamMixed} {
		cfg := LMConfig{DModel: 8, NLayer: 2, Vocab: 11, DState: 4, DConv: 3, Expand: 2, DtRank: 2, Param: kind}
		m, err := NewLM[float64](cfg, gradcheck.NewRNG(uint64(700+i)))
		if err != nil {
			t.Fatal(err)
		}
		// Larger weights than the initialisation so that every path carries signal.
		for _, p := range m.Params() {
			for j := range p.W {
				p.W[j] *= 3
			}
		}
		tokens := randTokens(gradcheck.NewRNG(uint64(710+i)), 2*7, cfg.Vocab)
		loss := func(train bool) float64 {
			l, err := m.Loss(tokens, 2, train, nil)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		checkModelGrad(t, "LM "+kind, m.Params(), func() float64 { return loss(true) }, func() float64 { return loss(false) }, 6)
	}
}

func TestClassifierGradient(t *testing.T) {
	for i, test := range []struct {
		name string
		cfg  ClassifierConfig
	}{
		{name: "mamba", cfg: ClassifierConfig{Mixer: MixerMamba}},
		{name: "mamba pos", cfg: ClassifierConfig{Mixer: MixerMamba, Param: ParamPos}},
		{name: "vision", cfg: ClassifierConfig{Mixer: MixerVision}},
		{name: "vision reorder", cfg: ClassifierConfig{Mixer: MixerVision, ReorderLayers: []int{0}}},
		{name: "vision reorder all options", cfg: ClassifierConfig{Mixer: MixerVision, ReorderLayers: []int{0, 1},
			Vision: VisionOptions{ReorderZ: true, InversePermute: true, SingleDtBias: true, SoftSort: SoftSort{Tau: 0.5, Pow: 2}}}},
		{name: "vision reorder z", cfg: ClassifierConfig{Mixer: MixerVision, ReorderLayers: []int{1}, Param: ParamMixed,
			Vision: VisionOptions{ReorderZ: true}}},
		{name: "vision reorder inverse", cfg: ClassifierConfig{Mixer: MixerVision, ReorderLayers: []int{0},
			Vision: VisionOptions{InversePermute: true}}},
	} {
		cfg := test.cfg
		cfg.DModel, cfg.NLayer, cfg.Features, cfg.Classes = 6, 2, 3, 4
		cfg.DState, cfg.DConv, cfg.Expand, cfg.DtRank = 3, 4, 2, 2
		c, err := NewClassifier[float64](cfg, gradcheck.NewRNG(uint64(720+i)))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Params() {
			for j := range p.W {
				p.W[j] *= 3
			}
		}
		rng := gradcheck.NewRNG(uint64(730 + i))
		const nb, nl = 3, 5
		feat := gradcheck.RandVec(rng, nb*nl*cfg.Features, 1)
		labels := []int32{0, 3, 1}
		loss := func(train bool) float64 {
			l, err := c.Loss(feat, labels, nb, train, nil)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		checkModelGrad(t, "classifier "+test.name, c.Params(), func() float64 { return loss(true) }, func() float64 { return loss(false) }, 6)
		// The input features are not parameters; check one anyway through the embedding.
	}
}

// TestReorderPermutationInvariance: with a pointwise conv (d_conv = 1), a
// vision mixer that reorders x and z and applies the inverse permutation is
// permutation-equivariant (P̂ follows the tokens), so a classifier built
// only from such layers is invariant to shuffling the input tokens, soft or
// hard. Without reordering the scan sees the tokens in input order and the
// output changes.
func TestReorderPermutationInvariance(t *testing.T) {
	for i, test := range []struct {
		name      string
		reorder   []int
		hard      bool
		invariant bool
	}{
		{name: "soft", reorder: []int{0, 1}, invariant: true},
		{name: "hard", reorder: []int{0, 1}, hard: true, invariant: true},
		{name: "none", reorder: nil, invariant: false},
	} {
		// Mamba's init: MambaVision's 0.02-scale weights make the mixers'
		// order dependence too small (≈ 1e-9) to tell from rounding.
		cfg := ClassifierConfig{DModel: 8, NLayer: 2, Features: 3, Classes: 3, DState: 4, DConv: 1, Mixer: MixerVision, Init: InitMamba,
			ReorderLayers: test.reorder, Vision: VisionOptions{ReorderZ: true, InversePermute: true, SoftSort: SoftSort{Hard: test.hard}}}
		c, err := NewClassifier[float64](cfg, gradcheck.NewRNG(uint64(740+i)))
		if err != nil {
			t.Fatal(err)
		}
		rng := gradcheck.NewRNG(750)
		const nl = 9
		feat := gradcheck.RandVec(rng, nl*cfg.Features, 2)
		perm := rng.Perm(nl)
		shuffled := make([]float64, len(feat))
		for l, src := range perm {
			copy(shuffled[l*cfg.Features:(l+1)*cfg.Features], feat[src*cfg.Features:(src+1)*cfg.Features])
		}
		a, err := c.Predict(feat, 1)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.Predict(shuffled, 1)
		if err != nil {
			t.Fatal(err)
		}
		var diff float64
		for j := range a {
			diff = math.Max(diff, math.Abs(a[j]-b[j]))
		}
		if test.invariant && diff > 1e-12 {
			t.Errorf("%s: logits change by %v under a token permutation, want invariance", test.name, diff)
		}
		if !test.invariant && diff < 1e-9 {
			t.Errorf("%s: logits change by only %v under a token permutation; the scan should see the order", test.name, diff)
		}
	}
}

func TestReorderingScoresAndMatrix(t *testing.T) {
	cfg := ClassifierConfig{DModel: 8, NLayer: 2, Features: 3, Classes: 3, DState: 4, Mixer: MixerVision, ReorderLayers: []int{0}}
	c, err := NewClassifier[float64](cfg, gradcheck.NewRNG(760))
	if err != nil {
		t.Fatal(err)
	}
	const nb, nl = 2, 6
	feat := gradcheck.RandVec(gradcheck.NewRNG(761), nb*nl*cfg.Features, 1)
	s, p, err := c.Reordering(feat, nb, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != nb*nl || len(p) != nb*nl*nl {
		t.Fatalf("scores %d, matrix %d elements; want %d and %d", len(s), len(p), nb*nl, nb*nl*nl)
	}
	for b := 0; b < nb; b++ {
		v := make([]float64, nl)
		for l := range v {
			v[l] = -s[b*nl+l]
		}
		want, err := SoftSortMatrix(SoftSort{}, v)
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range want {
			if math.Abs(p[b*nl*nl+j]-w) > 1e-15 {
				t.Fatalf("batch %d: P[%d] = %v, SoftSortMatrix(−s) gives %v", b, j, p[b*nl*nl+j], w)
			}
		}
	}
	if _, _, err := c.Reordering(feat, nb, 1); err == nil {
		t.Errorf("layer 1 does not reorder: no error")
	}
}

func TestLMCausal(t *testing.T) {
	cfg := LMConfig{DModel: 8, NLayer: 2, Vocab: 7, DState: 4}
	m, err := NewLM[float64](cfg, gradcheck.NewRNG(770))
	if err != nil {
		t.Fatal(err)
	}
	tokens := randTokens(gradcheck.NewRNG(771), 10, cfg.Vocab)
	a, err := m.Logits(tokens, 1)
	if err != nil {
		t.Fatal(err)
	}
	tokens[6] = (tokens[6] + 1) % int32(cfg.Vocab)
	b, err := m.Logits(tokens, 1)
	if err != nil {
		t.Fatal(err)
	}
	for l := 0; l < 10; l++ {
		var diff float64
		for v := 0; v < cfg.Vocab; v++ {
			diff = math.Max(diff, math.Abs(a[l*cfg.Vocab+v]-b[l*cfg.Vocab+v]))
		}
		if l < 6 && diff != 0 {
			t.Errorf("position %d changed by %v after editing token 6: not causal", l, diff)
		}
		if l >= 6 && diff == 0 {
			t.Errorf("position %d unchanged after editing token 6", l)
		}
	}
}

func TestLMInitAndNames(t *testing.T) {
	cfg := LMConfig{DModel: 32, NLayer: 3, Vocab: 50, Param: ParamPos}
	m, err := NewLM[float64](cfg, gradcheck.NewRNG(780))
	if err != nil {
		t.Fatal(err)
	}
	got := m.Config()
	if got.DState != 16 || got.DConv != 4 || got.Expand != 2 || got.DtRank != 2 {
		t.Errorf("defaults: %+v, want DState 16, DConv 4, Expand 2, DtRank ⌈32/16⌉ = 2", got)
	}
	di, r, n := 64, 2, 16
	want := map[string][]int{
		"backbone.embedding.weight":                                       {50, 32},
		"backbone.layers.2.norm.weight":                                   {32},
		"backbone.layers.0.mixer.in_proj.weight":                          {2 * di, 32},
		"backbone.layers.0.mixer.conv1d.weight":                           {di, 1, 4},
		"backbone.layers.0.mixer.conv1d.bias":                             {di},
		"backbone.layers.0.mixer.x_proj.parametrizations.weight.original": {r + 2*n, di},
		"backbone.layers.0.mixer.dt_proj.weight":                          {di, r},
		"backbone.layers.0.mixer.dt_proj.bias":                            {di},
		"backbone.layers.0.mixer.A_log":                                   {di, n},
		"backbone.layers.0.mixer.D":                                       {di},
		"backbone.layers.0.mixer.out_proj.weight":                         {32, di},
		"backbone.norm_f.weight":                                          {32},
	}
	byName := map[string]*Param[float64]{}
	for _, p := range m.Params() {
		if byName[p.Name] != nil {
			t.Errorf("parameter %s listed twice", p.Name)
		}
		byName[p.Name] = p
		if err := p.Check(); err != nil {
			t.Error(err)
		}
	}
	if len(byName) != 1+3*10+1 {
		t.Errorf("%d parameters, want %d", len(byName), 1+3*10+1)
	}
	for name, shape := range want {
		p := byName[name]
		if p == nil {
			t.Errorf("missing parameter %s", name)
			continue
		}
		if fmt.Sprint(p.Shape) != fmt.Sprint(shape) {
			t.Errorf("%s: shape %v, want %v", name, p.Shape, shape)
		}
	}
	for name, p := range byName {
		noDecay := strings.HasSuffix(name, "A_log") || strings.HasSuffix(name, ".D") || strings.HasSuffix(name, "bias") || strings.Contains(name, "norm")
		if p.NoDecay != noDecay {
			t.Errorf("%s: NoDecay %v, want %v", name, p.NoDecay, noDecay)
		}
	}
	maxAbs := func(w []float64) float64 {
		var x float64
		for _, v := range w {
			x = math.Max(x, math.Abs(v))
		}
		return x
	}
	for l := 0; l < 3; l++ {
		pre := fmt.Sprintf("backbone.layers.%d.mixer.", l)
		aLog := byName[pre+"A_log"].W
		for i, v := range aLog {
			if math.Abs(v-math.Log(float64(i%n+1))) > 1e-15 {
				t.Fatalf("%sA_log[%d] = %v, want log(%d)", pre, i, v, i%n+1)
			}
		}
		for _, v := range byName[pre+"D"].W {
			if v != 1 {
				t.Fatalf("%sD = %v, want 1", pre, v)
			}
		}
		for i, b := range byName[pre+"dt_proj.bias"].W {
			if dt := mamba.Softplus(b); dt < dtMin*(1-1e-12) || dt > dtMax*(1+1e-12) {
				t.Errorf("%sdt_proj.bias[%d]: softplus = %v outside [0.001, 0.1]", pre, i, dt)
			}
		}
		for _, c := range []struct {
			name  string
			bound float64
		}{
			{"in_proj.weight", 1 / math.Sqrt(32)},
			{"conv1d.weight", 0.5},
			{"conv1d.bias", 0.5},
			{"x_proj.parametrizations.weight.original", 1 / math.Sqrt(float64(di))},
			{"dt_proj.weight", 1 / math.Sqrt(float64(r))},
			{"out_proj.weight", 1 / math.Sqrt(float64(di)) / math.Sqrt(3)},
		} {
			w := byName[pre+c.name].W
			// Uniform on (−b, b): the maximum is within b and close to it for these sizes.
			if mx := maxAbs(w); mx > c.bound || mx < 0.8*c.bound {
				t.Errorf("%s%s: max |w| = %v, want U(±%v)", pre, c.name, mx, c.bound)
			}
		}
	}
	var ss float64
	emb := byName["backbone.embedding.weight"].W
	for _, v := range emb {
		ss += v * v
	}
	if sd := math.Sqrt(ss / float64(len(emb))); math.Abs(sd-0.02) > 0.002 {
		t.Errorf("embedding sd %v, want 0.02", sd)
	}
	// The effective x_proj of a "pos" model has N positive eigenvalues.
	eff, rows, cols, err := m.EffectiveXProj(1)
	if err != nil || rows != r+2*n || cols != di {
		t.Fatalf("EffectiveXProj: %d×%d, err %v", rows, cols, err)
	}
	ev := muEigen(t, ParamPos, eff, r, n, di)
	for i := 0; i < di-n; i++ {
		if math.Abs(ev[i]) > 1e-9*ev[di-1] {
			t.Fatalf("eigenvalue %d = %v, want 0 (rank N)", i, ev[i])
		}
	}
	for i := di - n; i < di; i++ {
		if !(ev[i] > 0) {
			t.Fatalf("eigenvalue %d = %v, want > 0", i, ev[i])
		}
	}
}

func TestDeterminismAndPrecision(t *testing.T) {
	cfg := LMConfig{DModel: 16, NLayer: 2, Vocab: 13, DState: 4, Dropout: 0.2}
	tokens := randTokens(gradcheck.NewRNG(790), 3*9, cfg.Vocab)
	run := func() (float64, []float64) {
		m, err := NewLM[float64](cfg, gradcheck.NewRNG(791))
		if err != nil {
			t.Fatal(err)
		}
		l, err := m.Loss(tokens, 3, true, gradcheck.NewRNG(792))
		if err != nil {
			t.Fatal(err)
		}
		var gs []float64
		for _, p := range m.Params() {
			gs = append(gs, p.G...)
		}
		return l, gs
	}
	l1, g1 := run()
	l2, g2 := run()
	if l1 != l2 {
		t.Errorf("same seeds, losses %v and %v", l1, l2)
	}
	for i := range g1 {
		if g1[i] != g2[i] {
			t.Fatalf("same seeds, gradient %d differs: %v vs %v", i, g1[i], g2[i])
		}
	}
	// float32 and float64 models from the same seed agree to float32 precision.
	cfg.Dropout = 0
	m64, _ := NewLM[float64](cfg, gradcheck.NewRNG(793))
	m32, _ := NewLM[float32](cfg, gradcheck.NewRNG(793))
	a, err := m64.Loss(tokens, 3, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m32.Loss(tokens, 3, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(a-b) > 1e-5*math.Abs(a) {
		t.Errorf("float64 loss %v, float32 loss %v", a, b)
	}
	// Workers do not change the result.
	m64.SetWorkers(1)
	c, _ := m64.Loss(tokens, 3, false, nil)
	m64.SetWorkers(3)
	d, _ := m64.Loss(tokens, 3, false, nil)
	if c != a || d != a {
		t.Errorf("losses with 1, 3 workers: %v %v, default %v", c, d, a)
	}
}

func TestSGDReducesLoss(t *testing.T) {
	t.Run("LM float32", func(t *testing.T) {
		cfg := LMConfig{DModel: 16, NLayer: 2, Vocab: 17, DState: 4, Param: ParamPos}
		m, err := NewLM[float32](cfg, gradcheck.NewRNG(800))
		if err != nil {
			t.Fatal(err)
		}
		tokens := randTokens(gradcheck.NewRNG(801), 4*17, cfg.Vocab)
		sgdSteps(t, m.Params(), m.ZeroGrad, func(train bool) (float64, error) { return m.Loss(tokens, 4, train, nil) }, 0.5)
	})
	t.Run("classifier reorder float32", func(t *testing.T) {
		// Mamba's init, for which the fixed step 0.2 is small enough.
		cfg := ClassifierConfig{DModel: 16, NLayer: 2, Features: 5, Classes: 3, DState: 4, Mixer: MixerVision, Init: InitMamba, ReorderLayers: []int{0}}
		c, err := NewClassifier[float32](cfg, gradcheck.NewRNG(802))
		if err != nil {
			t.Fatal(err)
		}
		rng := gradcheck.NewRNG(803)
		feat := make([]float32, 6*10*5)
		for i := range feat {
			feat[i] = float32(rng.NormFloat64())
		}
		labels := []int32{0, 1, 2, 2, 1, 0}
		sgdSteps(t, c.Params(), c.ZeroGrad, func(train bool) (float64, error) { return c.Loss(feat, labels, 6, train, nil) }, 0.2)
	})
}

// sgdSteps takes plain SGD steps on a fixed batch and checks that each
// lowers the loss.
func sgdSteps[T Float](t *testing.T, params []*Param[T], zero func(), loss func(train bool) (float64, error), lr float64) {
	t.Helper()
	prev, err := loss(false)
	if err != nil {
		t.Fatal(err)
	}
	first := prev
	for step := 0; step < 5; step++ {
		zero()
		if _, err := loss(true); err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			for i, g := range p.G {
				p.W[i] -= T(lr) * g
			}
		}
		cur, err := loss(false)
		if err != nil {
			t.Fatal(err)
		}
		if !(cur < prev) {
			t.Fatalf("step %d: loss %v → %v, want a decrease", step, prev, cur)
		}
		prev = cur
	}
	t.Logf("loss %v → %v in 5 SGD steps", first, prev)
}

func TestModelErrors(t *testing.T) {
	rng := gradcheck.NewRNG(810)
	for _, cfg := range []LMConfig{
		{DModel: 0, NLayer: 1, Vocab: 5},
		{DModel: 8, NLayer: 1, Vocab: 0},
		{DModel: 8, NLayer: 1, Vocab: 5, Param: "psd"},
		{DModel: 8, NLayer: 1, Vocab: 5, Dropout: 1},
		{DModel: 8, NLayer: 1, Vocab: 5, DState: -1},
	} {
		if _, err := NewLM[float32](cfg, rng); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	for _, cfg := range []ClassifierConfig{
		{DModel: 8, NLayer: 1, Features: 3, Classes: 2, ReorderLayers: []int{0}},                     // needs vision
		{DModel: 8, NLayer: 1, Features: 3, Classes: 2, Mixer: MixerVision, ReorderLayers: []int{1}}, // out of range
		{DModel: 8, NLayer: 1, Features: 3, Classes: 2, Mixer: "attention"},
		{DModel: 8, NLayer: 1, Features: 0, Classes: 2},
		{DModel: 8, NLayer: 1, Features: 3, Classes: 2, Mixer: MixerVision, Vision: VisionOptions{SoftSort: SoftSort{Tau: -1}}},
	} {
		if _, err := NewClassifier[float32](cfg, rng); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	m, err := NewLM[float32](LMConfig{DModel: 8, NLayer: 1, Vocab: 5, Dropout: 0.1}, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tokens []int32
		batch  int
		train  bool
	}{
		{[]int32{1, 2, 3}, 2, false},    // does not split
		{[]int32{1, 2}, 2, false},       // sequences of one token
		{[]int32{1, 7, 3, 4}, 1, false}, // out of vocabulary
		{[]int32{1, 2, 3, 4}, 0, false}, // no batch
		{[]int32{1, 2, 3, 4}, 1, true},  // dropout without a random source
	} {
		if _, err := m.Loss(c.tokens, c.batch, c.train, nil); err == nil {
			t.Errorf("Loss(%v, %d): no error", c.tokens, c.batch)
		}
	}
	c, err := NewClassifier[float32](ClassifierConfig{DModel: 8, NLayer: 1, Features: 3, Classes: 2}, rng)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Loss(make([]float32, 7), []int32{0}, 1, false, nil); err == nil {
		t.Errorf("7 features with F = 3: no error")
	}
	if _, err := c.Loss(make([]float32, 6), []int32{0, 1}, 1, false, nil); err == nil {
		t.Errorf("2 labels for 1 sequence: no error")
	}
	if _, err := c.Loss(make([]float32, 6), []int32{2}, 1, false, nil); err == nil {
		t.Errorf("label 2 with 2 classes: no error")
	}
	if _, err := c.Predict([]float32{1, 2, float32(math.NaN())}, 1); err == nil {
		t.Errorf("NaN feature: no error")
	}
}

// TestDropoutModelGradient checks the LM and the classifier with dropout:
// every evaluation draws the same mask from the same seed, so the training
// loss is a smooth function of the weights whose gradient G must be.
func TestDropoutModelGradient(t *testing.T) {
	m, err := NewLM[float64](LMConfig{DModel: 8, NLayer: 1, Vocab: 9, DState: 4, Dropout: 0.3}, gradcheck.NewRNG(850))
	if err != nil {
		t.Fatal(err)
	}
	tokens := randTokens(gradcheck.NewRNG(851), 2*6, 9)
	lmLoss := func() float64 {
		l, err := m.Loss(tokens, 2, true, gradcheck.NewRNG(852))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	checkModelGrad(t, "LM dropout", m.Params(), lmLoss, lmLoss, 4)
	cfg := ClassifierConfig{DModel: 6, NLayer: 1, Features: 3, Classes: 3, DState: 4, Dropout: 0.4,
		Mixer: MixerVision, ReorderLayers: []int{0}}
	c, err := NewClassifier[float64](cfg, gradcheck.NewRNG(853))
	if err != nil {
		t.Fatal(err)
	}
	feat := gradcheck.RandVec(gradcheck.NewRNG(854), 2*5*3, 1)
	labels := []int32{2, 0}
	cLoss := func() float64 {
		l, err := c.Loss(feat, labels, 2, true, gradcheck.NewRNG(855))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	checkModelGrad(t, "classifier dropout", c.Params(), cLoss, cLoss, 4)
}
