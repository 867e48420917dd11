package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
)

// LM is a Mamba language model, mamba_ssm's MambaLMHeadModel with RMSNorm
// (docs/paper.md §1.3, §6.1):
//
//	r_0     = embedding(tokens)                       (B, L, d_model)
//	r_{i+1} = r_i + mixer_i(RMSNorm_i(r_i))            i < n_layer
//	h       = dropout(RMSNorm_f(r_n))                  dropout only when training (LMConfig.Dropout)
//	logits  = h Eᵀ                                     (B, L, V), head tied to the embedding E
//
// Parameters and their state-dict names (Params): backbone.embedding.weight
// (V, d_model); per layer backbone.layers.{i}.norm.weight and
// backbone.layers.{i}.mixer.{in_proj.weight, conv1d.weight (d_inner,1,d_conv),
// conv1d.bias, x_proj.weight, dt_proj.weight, dt_proj.bias, A_log, D,
// out_proj.weight}, with x_proj.weight named
// x_proj.parametrizations.weight.original when a parametrization is active
// (it is then the raw tensor X of ParametrizeXProj); backbone.norm_f.weight.
//
// Tied head: lm_head.weight is the same tensor as backbone.embedding.weight
// and is not listed separately by Params (the optimizer must see it once).
// PyTorch's state_dict() lists both keys sharing one storage; a checkpoint
// writer should write lm_head.weight as a second copy of the embedding (what
// torch.save does in effect, and what load_state_dict with strict=True
// expects), and a reader should take backbone.embedding.weight and may check
// that lm_head.weight, if present, is identical.
//
// An LM keeps per-model buffers between calls (they grow to the largest
// batch shape seen); it is not safe for concurrent use.
type LM[T Float] struct {
	cfg     LMConfig
	dims    mixerDims
	workers int

	embed *Param[T]
	backbone[T]

	nb, nl      int
	ids, tgt    []int32
	hd, mask    []T // after dropout, dropout mask
	logits      []T // (M, V), becomes ∂loss/∂logits
	g, ghd      []T // (M, d_model) backward scratch
	dropoutUsed bool
}

// NewLM builds a language model with Mamba's initialisation (init.go) drawn
// from rng. The scan runs on runtime.GOMAXPROCS(0) workers (SetWorkers).
func NewLM[T Float](cfg LMConfig, rng *rand.Rand) (*LM[T], error) {
	dims, err := resolveDims(cfg.DModel, cfg.NLayer, cfg.DState, cfg.DConv, cfg.Expand, cfg.DtRank)
	if err != nil {
		return nil, fmt.Errorf("model: new LM: %w", err)
	}
	if cfg.Vocab < 1 {
		return nil, fmt.Errorf("model: new LM: Vocab = %d must be positive", cfg.Vocab)
	}
	if cfg.Param, err = checkParametrization(cfg.Param); err != nil {
		return nil, fmt.Errorf("model: new LM: %w", err)
	}
	if err := checkDropout(cfg.Dropout); err != nil {
		return nil, fmt.Errorf("model: new LM: %w", err)
	}
	if rng == nil {
		return nil, fmt.Errorf("model: new LM: nil random source")
	}
	cfg.DState, cfg.DConv, cfg.Expand, cfg.DtRank = dims.nState, dims.dConv, dims.dInner/dims.dModel, dims.dtRank
	m := &LM[T]{cfg: cfg, dims: dims, workers: runtime.GOMAXPROCS(0)}
	m.dModel = cfg.DModel
	m.backbone.workers = &m.workers
	m.embed = NewParam[T]("backbone.embedding.weight", false, cfg.Vocab, cfg.DModel)
	initNormal(rng, m.embed.W, 0.02)
	for i := 0; i < cfg.NLayer; i++ {
		prefix := fmt.Sprintf("backbone.layers.%d.", i)
		mix := newMambaMixer[T](prefix+"mixer.", dims, cfg.Param, cfg.NLayer, &m.workers, rng)
		m.blocks = append(m.blocks, newBlock[T](prefix, cfg.DModel, mixer[T](mix), &m.workers))
	}
	m.normF = NewParam[T]("backbone.norm_f.weight", true, cfg.DModel)
	initFill(m.normF.W, 1)
	if cfg.ZeroSkip {
		for _, p := range m.Params() {
			if strings.HasSuffix(p.Name, ".mixer.D") {
				initFill(p.W, 0)
			}
		}
	}
	return m, nil
}

// Config returns the configuration with the defaults filled in.
func (m *LM[T]) Config() LMConfig { return m.cfg }

// SetWorkers sets how many goroutines the forward and backward passes use
// (≥ 1): the selective scan, the batch-parallel sections of the mixers and
// norms (parallel.go) and the products summed over all rows. Results do not
// depend on it. Products outside those passes follow GOMAXPROCS.
func (m *LM[T]) SetWorkers(n int) { m.workers = max(1, n) }

// Workers returns the number of goroutines set by SetWorkers.
func (m *LM[T]) Workers() int { return m.workers }

// Params returns every trainable tensor once, in a fixed order: the
// embedding (also the tied head), the blocks in order, norm_f.
func (m *LM[T]) Params() []*Param[T] {
	ps := []*Param[T]{m.embed}
	return append(ps, m.stackParams()...)
}

// ZeroGrad sets every gradient to zero.
func (m *LM[T]) ZeroGrad() { zeroGrads(m.Params()) }

// EffectiveXProj returns a copy of layer's effective x_proj weight
// [S_Δ'; S_B; S_C] (the image of the raw tensor under the parametrization),
// shape (dt_rank+2N, d_inner) row-major, so that μ = S_Cᵀ S_B can be formed
// (XProjMu).
func (m *LM[T]) EffectiveXProj(layer int) (w []T, rows, cols int, err error) {
	return m.stackXProj("LM", layer)
}

// splitTokens checks a (B, cols) token batch and returns the sequence length.
func splitTokens(tokens []int32, batch, minCols int) (int, error) {
	if batch < 1 {
		return 0, fmt.Errorf("batch = %d must be positive", batch)
	}
	if len(tokens)%batch != 0 {
		return 0, fmt.Errorf("%d tokens do not split into %d sequences", len(tokens), batch)
	}
	cols := len(tokens) / batch
	if cols < minCols {
		return 0, fmt.Errorf("sequences of %d tokens, need at least %d", cols, minCols)
	}
	return cols, nil
}

// resize prepares the buffers for a batch of shape (nb, nl).
func (m *LM[T]) resize(nb, nl int) {
	m.nb, m.nl = nb, nl
	mm, dm := nb*nl, m.cfg.DModel
	m.stackResize(mm)
	m.hd = grow(m.hd, mm*dm)
	m.mask = grow(m.mask, mm*dm)
	m.logits = grow(m.logits, mm*m.cfg.Vocab)
}

// forward runs the model on m.ids (nb, nl) and leaves the logits in m.logits.
func (m *LM[T]) forward(nb, nl int, train bool, rng *rand.Rand) error {
	m.resize(nb, nl)
	mm, dm := nb*nl, m.cfg.DModel
	if err := embeddingForward(m.cfg.Vocab, dm, m.embed.W, m.ids, m.res[0]); err != nil {
		return err
	}
	if err := m.stackForward(nb, nl, train); err != nil {
		return err
	}
	h := m.hf
	m.dropoutUsed = train && m.cfg.Dropout > 0
	if m.dropoutUsed {
		if rng == nil {
			return fmt.Errorf("dropout %v needs a random source, got nil", m.cfg.Dropout)
		}
		dropoutForward(m.cfg.Dropout, rng, m.hf, m.hd, m.mask)
		h = m.hd
	}
	linearForward(mm, dm, m.cfg.Vocab, h, dm, m.embed.W, nil, m.logits, m.cfg.Vocab)
	return nil
}

// Loss returns the mean next-token cross-entropy (nats per token) of a batch.
//
//	tokens  (B, L+1) flattened, B = batch: inputs tokens[:, :L], targets tokens[:, 1:]
//
// With train, dropout is active (drawn from rng) and the gradients of the
// loss are ADDED to every Param's G (call ZeroGrad first for a fresh step;
// accumulating over calls gives the gradient of the sum of the losses).
// Without train the call is a pure evaluation and rng may be nil.
func (m *LM[T]) Loss(tokens []int32, batch int, train bool, rng *rand.Rand) (float64, error) {
	cols, err := splitTokens(tokens, batch, 2)
	if err != nil {
		return 0, fmt.Errorf("model: LM loss: %w", err)
	}
	nl := cols - 1
	mm := batch * nl
	m.ids = growInt32(m.ids, mm)
	m.tgt = growInt32(m.tgt, mm)
	for b := 0; b < batch; b++ {
		copy(m.ids[b*nl:(b+1)*nl], tokens[b*cols:b*cols+nl])
		copy(m.tgt[b*nl:(b+1)*nl], tokens[b*cols+1:(b+1)*cols])
	}
	if err := m.forward(batch, nl, train, rng); err != nil {
		return 0, fmt.Errorf("model: LM loss: %w", err)
	}
	var glogits []T
	if train {
		glogits = m.logits
	}
	loss, err := crossEntropyW(m.workers, mm, m.cfg.Vocab, m.logits, m.tgt, glogits)
	if err != nil {
		return loss, fmt.Errorf("model: LM loss: %w", err)
	}
	if train {
		m.backward()
	}
	return loss, nil
}

// backward propagates m.logits (holding ∂loss/∂logits) to every G.
func (m *LM[T]) backward() {
	mm, dm, v := m.nb*m.nl, m.cfg.DModel, m.cfg.Vocab
	m.g = grow(m.g, mm*dm)
	m.ghd = grow(m.ghd, mm*dm)
	h := m.hf
	if m.dropoutUsed {
		h = m.hd
	}
	// logits = h Eᵀ: the tied head's share of ∂E, and ∂h.
	linearBackward(mm, dm, v, h, dm, m.embed.W, m.logits, v, m.embed.G, nil, m.ghd, dm, false)
	if m.dropoutUsed {
		dropoutBackward(m.mask, m.ghd, m.ghd)
	}
	m.stackBackward(mm, m.ghd, m.g)
	embeddingBackward(dm, m.ids, m.g, m.embed.G)
}

// Logits returns the next-token logits of a batch of token sequences.
//
//	tokens  (B, L) flattened, B = batch
//	result  (B, L, V) freshly allocated
func (m *LM[T]) Logits(tokens []int32, batch int) ([]T, error) {
	nl, err := splitTokens(tokens, batch, 1)
	if err != nil {
		return nil, fmt.Errorf("model: LM logits: %w", err)
	}
	m.ids = growInt32(m.ids, len(tokens))
	copy(m.ids, tokens)
	if err := m.forward(batch, nl, false, nil); err != nil {
		return nil, fmt.Errorf("model: LM logits: %w", err)
	}
	return append([]T(nil), m.logits[:batch*nl*m.cfg.Vocab]...), nil
}

func growInt32(s []int32, n int) []int32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]int32, n)
}
