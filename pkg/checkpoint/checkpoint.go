package checkpoint

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Checkpoint is an open checkpoint directory: its configuration and its
// tensors, read on demand. Close it when done.
type Checkpoint struct {
	Dir    string
	Config Config
	src    *source
}

// Open detects dir's layout, reads its configuration and checks that every
// tensor the configuration implies is present with its shape (headers only;
// no tensor is read). Errors are one line naming the file and the problem.
func Open(dir string) (*Checkpoint, error) {
	layout, raw, err := detectLayout(dir)
	if err != nil {
		return nil, err
	}
	src, err := openSource(dir)
	if err != nil {
		return nil, err
	}
	var cfg Config
	switch layout {
	case Tokendyn:
		cfg, err = configTokendyn(dir, src.meta())
	case MambaSSM:
		cfg, err = configMambaSSM(dir, raw)
	case Transformers:
		cfg, err = configTransformers(dir, raw)
	}
	if err == nil {
		err = checkShapes(cfg, src)
	}
	if err != nil {
		src.Close()
		return nil, err
	}
	return &Checkpoint{Dir: dir, Config: cfg, src: src}, nil
}

// Close closes the checkpoint's files.
func (c *Checkpoint) Close() error { return c.src.Close() }

// storedName maps a parameter's name (the model package's, mamba_ssm's
// state-dict names) to the name in c's layout.
func storedName(cfg Config, name string) string {
	if cfg.Layout == Transformers && name == "backbone.embedding.weight" {
		return "backbone.embeddings.weight"
	}
	return name
}

// expected lists every tensor of cfg with its stored name and shape, in the
// model's parameter order (the tokendyn names of model.LM.Params).
func expected(cfg Config) []struct {
	param, stored string
	shape         []int
} {
	var out []struct {
		param, stored string
		shape         []int
	}
	add := func(name string, shape ...int) {
		out = append(out, struct {
			param, stored string
			shape         []int
		}{name, storedName(cfg, name), shape})
	}
	di, r, n, k, dm := cfg.DInner, cfg.DtRank, cfg.DState, cfg.DConv, cfg.DModel
	add("backbone.embedding.weight", cfg.Vocab, dm)
	for i := 0; i < cfg.NLayer; i++ {
		p := fmt.Sprintf("backbone.layers.%d.", i)
		add(p+"norm.weight", dm)
		add(p+"mixer.in_proj.weight", 2*di, dm)
		add(p+"mixer.conv1d.weight", di, 1, k)
		add(p+"mixer.conv1d.bias", di)
		add(xProjName(cfg, i), r+2*n, di)
		add(p+"mixer.dt_proj.weight", di, r)
		add(p+"mixer.dt_proj.bias", di)
		add(p+"mixer.A_log", di, n)
		add(p+"mixer.D", di)
		add(p+"mixer.out_proj.weight", dm, di)
	}
	add("backbone.norm_f.weight", dm)
	return out
}

func xProjName(cfg Config, layer int) string {
	p := fmt.Sprintf("backbone.layers.%d.mixer.", layer)
	if cfg.Param != model.ParamNone {
		return p + "x_proj.parametrizations.weight.original"
	}
	return p + "x_proj.weight"
}

// checkShapes compares every expected tensor with the headers; an
// untied lm_head.weight must have the embedding's shape.
func checkShapes(cfg Config, src *source) error {
	exp := expected(cfg)
	if len(src.where) > 0 {
		for _, e := range exp {
			_, shape, file, ok := src.info(e.stored)
			if !ok {
				return fmt.Errorf("%s: no tensor %s (the %s layout with %d layers needs it)", anyFile(src), e.stored, cfg.Layout, cfg.NLayer)
			}
			if !slices.Equal(shape, e.shape) {
				return fmt.Errorf("%s: tensor %s has shape %v, the configuration implies %v", file, e.stored, shape, e.shape)
			}
		}
	}
	if _, shape, file, ok := src.info("lm_head.weight"); ok && !slices.Equal(shape, []int{cfg.Vocab, cfg.DModel}) {
		return fmt.Errorf("%s: tensor lm_head.weight has shape %v, want %v", file, shape, []int{cfg.Vocab, cfg.DModel})
	}
	for _, name := range src.names() {
		if strings.HasPrefix(name, fmt.Sprintf("backbone.layers.%d.", cfg.NLayer)) {
			_, _, file, _ := src.info(name)
			return fmt.Errorf("%s: tensor %s lies beyond the configuration's %d layers", file, name, cfg.NLayer)
		}
	}
	return nil
}

func anyFile(src *source) string {
	if len(src.shards) == 0 {
		return "checkpoint"
	}
	if len(src.shards) > 1 {
		return src.shards[0].r.Path() + " (and the other shards)"
	}
	return src.shards[0].r.Path()
}

// Layer is what the layer report needs from one Mamba block, read from the
// checkpoint (four tensors, none larger than x_proj).
//
//	XProj   (R+2N, d_inner)  the effective x_proj weight [S_Δ; S_B; S_C] (the image of the raw tensor under Param)
//	D       (d_inner)        the skip
//	DtBias  (d_inner)        dt_proj.bias
//	ALog    (d_inner, N)     A_log, with A = −exp(A_log)
type Layer struct {
	Index     int
	XProj     []float64
	D, DtBias []float64
	ALog      []float64
	DtRank, N int
	DInner    int
}

// Negated is l under the symmetry (μ, D, out_proj) → (−μ, −D, −out_proj)
// of model.LM.Negate, as far as a layer report sees it: the S_C rows of
// x_proj and D negated (out_proj is not part of a Layer). l is unchanged.
func (l *Layer) Negated() *Layer {
	n := *l
	n.XProj = slices.Clone(l.XProj)
	for i := (n.DtRank + n.N) * n.DInner; i < len(n.XProj); i++ {
		n.XProj[i] = -n.XProj[i]
	}
	n.D = slices.Clone(l.D)
	for i := range n.D {
		n.D[i] = -n.D[i]
	}
	return &n
}

// Layer reads layer i.
func (c *Checkpoint) Layer(i int) (*Layer, error) {
	cfg := c.Config
	if i < 0 || i >= cfg.NLayer {
		return nil, fmt.Errorf("checkpoint: layer %d out of range [0, %d)", i, cfg.NLayer)
	}
	p := fmt.Sprintf("backbone.layers.%d.mixer.", i)
	raw, err := c.src.read(xProjName(cfg, i))
	if err != nil {
		return nil, err
	}
	l := &Layer{Index: i, DtRank: cfg.DtRank, N: cfg.DState, DInner: cfg.DInner, XProj: make([]float64, len(raw))}
	if err := model.ParametrizeXProj(cfg.Param, cfg.DtRank, cfg.DState, cfg.DInner, raw, l.XProj); err != nil {
		return nil, fmt.Errorf("checkpoint: layer %d: %w", i, err)
	}
	if l.D, err = c.src.read(p + "D"); err != nil {
		return nil, err
	}
	if l.DtBias, err = c.src.read(p + "dt_proj.bias"); err != nil {
		return nil, err
	}
	if l.ALog, err = c.src.read(p + "A_log"); err != nil {
		return nil, err
	}
	return l, nil
}

// LoadLM reads every tensor into a float64 LM (memory: the whole model in
// float64). The head is tied to the embedding; an lm_head.weight that
// differs from it is an error (the model could not reproduce it).
func (c *Checkpoint) LoadLM() (*model.LM[float64], error) {
	m, err := model.NewLM[float64](c.Config.LMConfig, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", c.Dir, err)
	}
	byName := map[string]*model.Param[float64]{}
	for _, p := range m.Params() {
		byName[p.Name] = p
	}
	for _, e := range expected(c.Config) {
		p, ok := byName[e.param]
		if !ok || !slices.Equal(p.Shape, e.shape) {
			return nil, fmt.Errorf("checkpoint %s: the model has no parameter %s of shape %v", c.Dir, e.param, e.shape)
		}
		v, err := c.src.read(e.stored)
		if err != nil {
			return nil, err
		}
		copy(p.W, v)
	}
	if _, _, file, ok := c.src.info("lm_head.weight"); ok {
		head, err := c.src.read("lm_head.weight")
		if err != nil {
			return nil, err
		}
		emb := byName["backbone.embedding.weight"].W
		for i, v := range head {
			if v != emb[i] {
				return nil, fmt.Errorf("%s: lm_head.weight differs from the embedding at element %d: untied heads are not supported", file, i)
			}
		}
	}
	return m, nil
}
