package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
)

// Classifier is a Mamba sequence classifier, the small proxy of the
// MambaVision experiment (docs/paper.md §6.2):
//
//	r_0     = features Wₑᵀ + bₑ                     (B, L, d_model), a linear patch embedding
//	r_{i+1} = r_i + mixer_i(RMSNorm_i(r_i))
//	p       = dropout(mean_l RMSNorm_f(r_n))        (B, d_model), dropout only when training
//	logits  = p W_hᵀ + b_h                          (B, classes)
//
// Mixers are mamba_simple's (Mixer "mamba") or the authors' MambaVision mixer
// (Mixer "vision"), the latter with token reordering in ReorderLayers.
//
// State-dict names: backbone.embedding.{weight (d_model, F), bias},
// backbone.layers.{i}.norm.weight, backbone.layers.{i}.mixer.* (as LM for
// "mamba"; in_proj.weight, conv1d_x.weight, conv1d_z.weight, x_proj.weight,
// dt_proj.{weight,bias}, A_log, D, out_proj.weight and, when reordering,
// imporantness.weight, the authors' spelling, for "vision"),
// backbone.norm_f.weight, head.{weight (classes, d_model), bias}.
// Initialisation (ClassifierConfig.Init, init.go): InitMamba is Mamba's, with
// the embedding and head weights PyTorch's default U(±1/√fan_in) and their
// biases zero (mixer_seq_simple's _init_weights zeroes Linear biases);
// InitMambaVision, the default of the vision mixer, is MambaVision's: every
// linear weight (embedding and head included) trunc_normal(0.02), every
// linear bias 0.
//
// Not safe for concurrent use.
type Classifier[T Float] struct {
	cfg     ClassifierConfig
	dims    mixerDims
	workers int

	embW, embB *Param[T]
	backbone[T]
	headW, headB *Param[T]

	nb, nl      int
	feat        []T // (M, F), not owned
	pooled, pd  []T // (B, d_model)
	mask        []T
	logits      []T // (B, classes)
	g, ghf, gpd []T
	dropoutUsed bool
}

// NewClassifier builds a classifier with the weights drawn from rng
// (NewClassifierStreams with the importance weights drawn from rng too,
// after every other weight).
func NewClassifier[T Float](cfg ClassifierConfig, rng *rand.Rand) (*Classifier[T], error) {
	return NewClassifierStreams[T](cfg, rng, rng)
}

// NewClassifierStreams builds a classifier with its initialisation
// (cfg.Init) drawn in parameter creation order from rng, except the
// importance weights K of the reordering layers, which are drawn from
// reorderRNG afterwards. The weights every configuration has are therefore
// the same bits with or without reordering, whatever reorderRNG is: the
// arms of the reordering experiment are paired.
func NewClassifierStreams[T Float](cfg ClassifierConfig, rng, reorderRNG *rand.Rand) (*Classifier[T], error) {
	dims, reorder, err := resolveClassifierConfig(&cfg, rng, reorderRNG)
	if err != nil {
		return nil, err
	}
	c := &Classifier[T]{cfg: cfg, dims: dims, workers: runtime.GOMAXPROCS(0)}
	c.dModel = cfg.DModel
	c.backbone.workers = &c.workers
	dm := cfg.DModel
	c.embW = NewParam[T]("backbone.embedding.weight", false, dm, cfg.Features)
	c.embB = NewParam[T]("backbone.embedding.bias", true, dm)
	vis := cfg.Init == InitMambaVision
	if vis {
		initTruncNormal(rng, c.embW.W, visionStd)
	} else {
		initUniform(rng, c.embW.W, 1/sqrtf(cfg.Features))
	}
	reorderers := c.newBlocks(reorder, rng)
	c.normF = NewParam[T]("backbone.norm_f.weight", true, dm)
	initFill(c.normF.W, 1)
	c.headW = NewParam[T]("head.weight", false, cfg.Classes, dm)
	c.headB = NewParam[T]("head.bias", true, cfg.Classes)
	if vis {
		initTruncNormal(rng, c.headW.W, visionStd)
	} else {
		initUniform(rng, c.headW.W, 1/sqrtf(dm))
	}
	for _, vm := range reorderers {
		vm.initImportance(reorderRNG)
	}
	return c, nil
}

// resolveClassifierConfig checks cfg and the random sources of
// NewClassifierStreams and fills in cfg's defaults (Mixer, Init, the resolved
// mixer sizes, a private copy of ReorderLayers). It returns the mixer sizes
// and which of the NLayer layers reorder their tokens.
func resolveClassifierConfig(cfg *ClassifierConfig, rng, reorderRNG *rand.Rand) (mixerDims, []bool, error) {
	dims, err := resolveDims(cfg.DModel, cfg.NLayer, cfg.DState, cfg.DConv, cfg.Expand, cfg.DtRank)
	if err != nil {
		return dims, nil, fmt.Errorf("model: new classifier: %w", err)
	}
	if cfg.Features < 1 || cfg.Classes < 1 {
		return dims, nil, fmt.Errorf("model: new classifier: Features = %d and Classes = %d must be positive", cfg.Features, cfg.Classes)
	}
	if cfg.Param, err = checkParametrization(cfg.Param); err != nil {
		return dims, nil, fmt.Errorf("model: new classifier: %w", err)
	}
	if err := checkDropout(cfg.Dropout); err != nil {
		return dims, nil, fmt.Errorf("model: new classifier: %w", err)
	}
	if rng == nil || reorderRNG == nil {
		return dims, nil, fmt.Errorf("model: new classifier: nil random source")
	}
	reorder, err := resolveClassifierMixer(cfg, dims)
	if err != nil {
		return dims, nil, err
	}
	if err := cfg.Vision.SoftSort.validate(); err != nil {
		return dims, nil, fmt.Errorf("model: new classifier: %w", err)
	}
	if err := resolveClassifierInit(cfg); err != nil {
		return dims, nil, err
	}
	cfg.DState, cfg.DConv, cfg.Expand, cfg.DtRank = dims.nState, dims.dConv, dims.dInner/dims.dModel, dims.dtRank
	cfg.ReorderLayers = slices.Clone(cfg.ReorderLayers)
	return dims, reorder, nil
}

// resolveClassifierMixer defaults cfg.Mixer to MixerMamba, checks it and
// the reordering layers against it, and returns the NLayer flags of the
// layers that reorder their tokens.
func resolveClassifierMixer(cfg *ClassifierConfig, dims mixerDims) ([]bool, error) {
	switch cfg.Mixer {
	case "":
		cfg.Mixer = MixerMamba
	case MixerMamba, MixerVision:
	default:
		return nil, fmt.Errorf("model: new classifier: unknown mixer %q (want mamba or vision)", cfg.Mixer)
	}
	reorder := make([]bool, cfg.NLayer)
	for _, l := range cfg.ReorderLayers {
		if l < 0 || l >= cfg.NLayer {
			return nil, fmt.Errorf("model: new classifier: reorder layer %d out of range [0, %d)", l, cfg.NLayer)
		}
		if cfg.Mixer != MixerVision {
			return nil, fmt.Errorf("model: new classifier: token reordering needs Mixer %q, have %q", MixerVision, cfg.Mixer)
		}
		reorder[l] = true
	}
	if cfg.Mixer == MixerVision && dims.dInner%2 != 0 {
		return nil, fmt.Errorf("model: new classifier: the vision mixer splits d_inner = %d in two halves, it must be even", dims.dInner)
	}
	return reorder, nil
}

// resolveClassifierInit defaults cfg.Init to the mixer's initialisation
// (InitMambaVision for the vision mixer, else InitMamba) and checks it.
func resolveClassifierInit(cfg *ClassifierConfig) error {
	switch cfg.Init {
	case "":
		cfg.Init = InitMamba
		if cfg.Mixer == MixerVision {
			cfg.Init = InitMambaVision
		}
	case InitMamba, InitMambaVision:
		if cfg.Init == InitMambaVision && cfg.Mixer != MixerVision {
			return fmt.Errorf("model: new classifier: init %q needs Mixer %q", InitMambaVision, MixerVision)
		}
	default:
		return fmt.Errorf("model: new classifier: unknown init %q (want %q or %q)", cfg.Init, InitMamba, InitMambaVision)
	}
	return nil
}

// newBlocks appends c's NLayer residual blocks, their mixers drawn from rng
// in layer order, and returns the vision mixers of the reordering layers
// (reorder[i]), whose importance weights are still to be drawn.
func (c *Classifier[T]) newBlocks(reorder []bool, rng *rand.Rand) []*visionMixer[T] {
	cfg, dims := c.cfg, c.dims
	var reorderers []*visionMixer[T]
	for i := 0; i < cfg.NLayer; i++ {
		prefix := fmt.Sprintf("backbone.layers.%d.", i)
		var mix mixer[T]
		if cfg.Mixer == MixerVision {
			vm := newVisionMixer[T](prefix+"mixer.", dims, cfg.Param, cfg.NLayer, reorder[i], cfg.Vision, cfg.Init, &c.workers, rng)
			if reorder[i] {
				reorderers = append(reorderers, vm)
			}
			mix = vm
		} else {
			mix = newMambaMixer[T](prefix+"mixer.", dims, cfg.Param, cfg.NLayer, &c.workers, rng)
		}
		c.blocks = append(c.blocks, newBlock[T](prefix, cfg.DModel, mix, &c.workers))
	}
	return reorderers
}

// Config returns the configuration with the defaults filled in.
func (c *Classifier[T]) Config() ClassifierConfig { return c.cfg }

// SetWorkers sets how many goroutines the forward and backward passes use
// (≥ 1), as LM.SetWorkers.
func (c *Classifier[T]) SetWorkers(n int) { c.workers = max(1, n) }

// Workers returns the number of goroutines set by SetWorkers.
func (c *Classifier[T]) Workers() int { return c.workers }

// Params returns every trainable tensor once, in a fixed order.
func (c *Classifier[T]) Params() []*Param[T] {
	ps := []*Param[T]{c.embW, c.embB}
	ps = append(ps, c.stackParams()...)
	return append(ps, c.headW, c.headB)
}

// ZeroGrad sets every gradient to zero.
func (c *Classifier[T]) ZeroGrad() { zeroGrads(c.Params()) }

// EffectiveXProj returns a copy of layer's effective x_proj weight, shape
// (dt_rank+2N, d_x) with d_x = d_inner ("mamba") or d_inner/2 ("vision").
func (c *Classifier[T]) EffectiveXProj(layer int) (w []T, rows, cols int, err error) {
	return c.stackXProj("classifier", layer)
}

// checkFeatures validates a (B, L, F) feature batch and returns L.
func (c *Classifier[T]) checkFeatures(features []T, batch int) (int, error) {
	f := c.cfg.Features
	if batch < 1 {
		return 0, fmt.Errorf("batch = %d must be positive", batch)
	}
	if len(features) == 0 || len(features)%(batch*f) != 0 {
		return 0, fmt.Errorf("%d feature values do not form (B=%d, L, F=%d)", len(features), batch, f)
	}
	for i, v := range features {
		if x := float64(v); math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("feature %d is %v", i, x)
		}
	}
	return len(features) / (batch * f), nil
}

func (c *Classifier[T]) resize(nb, nl int) {
	c.nb, c.nl = nb, nl
	mm, dm := nb*nl, c.cfg.DModel
	c.stackResize(mm)
	c.pooled = grow(c.pooled, nb*dm)
	c.pd = grow(c.pd, nb*dm)
	c.mask = grow(c.mask, nb*dm)
	c.logits = grow(c.logits, nb*c.cfg.Classes)
}

func (c *Classifier[T]) forward(features []T, nb, nl int, train bool, rng *rand.Rand) error {
	c.resize(nb, nl)
	c.feat = features
	mm, dm := nb*nl, c.cfg.DModel
	linearForward(mm, c.cfg.Features, dm, features, c.cfg.Features, c.embW.W, c.embB.W, c.res[0], dm)
	if err := c.stackForward(nb, nl, train); err != nil {
		return err
	}
	meanPoolForward(nb, nl, dm, c.hf, c.pooled)
	p := c.pooled
	c.dropoutUsed = train && c.cfg.Dropout > 0
	if c.dropoutUsed {
		if rng == nil {
			return fmt.Errorf("dropout %v needs a random source, got nil", c.cfg.Dropout)
		}
		dropoutForward(c.cfg.Dropout, rng, c.pooled, c.pd, c.mask)
		p = c.pd
	}
	linearForward(nb, dm, c.cfg.Classes, p, dm, c.headW.W, c.headB.W, c.logits, c.cfg.Classes)
	return nil
}

// Loss returns the mean cross-entropy of a batch of labelled sequences.
//
//	features  (B, L, F) flattened, B = batch
//	labels    (B) in [0, classes)
//
// With train, dropout is active (drawn from rng) and the gradients are ADDED
// to every Param's G (call ZeroGrad first). Without train rng may be nil.
func (c *Classifier[T]) Loss(features []T, labels []int32, batch int, train bool, rng *rand.Rand) (float64, error) {
	nl, err := c.checkFeatures(features, batch)
	if err != nil {
		return 0, fmt.Errorf("model: classifier loss: %w", err)
	}
	if len(labels) != batch {
		return 0, fmt.Errorf("model: classifier loss: %d labels for a batch of %d", len(labels), batch)
	}
	if err := c.forward(features, batch, nl, train, rng); err != nil {
		return 0, fmt.Errorf("model: classifier loss: %w", err)
	}
	var glogits []T
	if train {
		glogits = c.logits
	}
	loss, err := crossEntropy(batch, c.cfg.Classes, c.logits, labels, glogits)
	if err != nil {
		return loss, fmt.Errorf("model: classifier loss: %w", err)
	}
	if train {
		c.backward()
	}
	return loss, nil
}

func (c *Classifier[T]) backward() {
	nb, nl, dm, nc := c.nb, c.nl, c.cfg.DModel, c.cfg.Classes
	mm := nb * nl
	c.g = grow(c.g, mm*dm)
	c.gpd = grow(c.gpd, nb*dm)
	p := c.pooled
	if c.dropoutUsed {
		p = c.pd
	}
	linearBackward(nb, dm, nc, p, dm, c.headW.W, c.logits, nc, c.headW.G, c.headB.G, c.gpd, dm, false)
	if c.dropoutUsed {
		dropoutBackward(c.mask, c.gpd, c.gpd)
	}
	c.ghf = grow(c.ghf, mm*dm)
	meanPoolBackward(nb, nl, dm, c.gpd, c.ghf)
	c.stackBackward(mm, c.ghf, c.g)
	linearBackward(mm, c.cfg.Features, dm, c.feat, c.cfg.Features, c.embW.W, c.g, dm, c.embW.G, c.embB.G, nil, 0, false)
}

// Predict returns the class logits of a batch, (B, classes), freshly allocated.
func (c *Classifier[T]) Predict(features []T, batch int) ([]T, error) {
	nl, err := c.checkFeatures(features, batch)
	if err != nil {
		return nil, fmt.Errorf("model: classifier predict: %w", err)
	}
	if err := c.forward(features, batch, nl, false, nil); err != nil {
		return nil, fmt.Errorf("model: classifier predict: %w", err)
	}
	return append([]T(nil), c.logits[:batch*c.cfg.Classes]...), nil
}

// Reordering runs the classifier on a batch and returns, for a reordering
// layer, the importance scores s (B, L) and the matrix P (B, L, L) that
// reorders the tokens (SoftSort of −s, or its hard one-hot): the quantities
// of refinement 2 (docs/paper.md §5.2) that the notebook shows.
func (c *Classifier[T]) Reordering(features []T, batch, layer int) (scores, p []T, err error) {
	if layer < 0 || layer >= len(c.blocks) {
		return nil, nil, fmt.Errorf("model: classifier reordering: layer %d out of range [0, %d)", layer, len(c.blocks))
	}
	vm, ok := c.blocks[layer].mix.(*visionMixer[T])
	if !ok || !vm.reorder {
		return nil, nil, fmt.Errorf("model: classifier reordering: layer %d does not reorder tokens", layer)
	}
	if _, err := c.Predict(features, batch); err != nil {
		return nil, nil, err
	}
	scores, p = vm.reordering()
	return scores, p, nil
}
