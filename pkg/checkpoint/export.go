package checkpoint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Export writes m (with the unconstrained x_proj: Param "none") into dir in
// the mamba_ssm or transformers layout, with the published file and tensor
// names and shapes, in dtype F32, F16 or BF16 (rounded to nearest) or F64.
// With shards > 1 the tensors are spread over model-0000i-of-0000n.safetensors
// files listed by model.safetensors.index.json, as transformers'
// save_pretrained does. mamba_ssm checkpoints carry lm_head.weight (a copy
// of the tied embedding), transformers ones do not (tie_word_embeddings).
// It lets a model of ours be opened by the upstream tools, and gives the
// tests checkpoints of every layout.
func Export(dir string, layout Layout, m *model.LM[float64], dtype safetensors.DType, shards int) error {
	cfg := m.Config()
	if cfg.Param != model.ParamNone && cfg.Param != "" {
		return fmt.Errorf("checkpoint: export: param %q: upstream layouts have no x_proj parametrization (export the effective weights of a \"none\" model)", cfg.Param)
	}
	if layout != MambaSSM && layout != Transformers {
		return fmt.Errorf("checkpoint: export: layout %q: want %s or %s", layout, MambaSSM, Transformers)
	}
	if shards < 1 {
		shards = 1
	}
	c := Config{Layout: layout, LMConfig: model.LMConfig{DModel: cfg.DModel, NLayer: cfg.NLayer, Vocab: cfg.Vocab, DState: cfg.DState, DConv: cfg.DConv,
		Expand: cfg.Expand, DtRank: cfg.DtRank, Param: model.ParamNone}}
	if err := c.fill("export"); err != nil {
		return err
	}
	var conf map[string]any
	if layout == MambaSSM {
		conf = map[string]any{"d_model": c.DModel, "n_layer": c.NLayer, "vocab_size": c.Vocab, "pad_vocab_size_multiple": 1,
			"rms_norm": true, "residual_in_fp32": true, "fused_add_norm": true, "tie_embeddings": true,
			"ssm_cfg": map[string]any{"d_state": c.DState, "d_conv": c.DConv, "expand": c.Expand, "dt_rank": c.DtRank}}
	} else {
		conf = map[string]any{"architectures": []string{"MambaForCausalLM"}, "model_type": "mamba", "hidden_size": c.DModel,
			"num_hidden_layers": c.NLayer, "vocab_size": c.Vocab, "state_size": c.DState, "expand": c.Expand, "conv_kernel": c.DConv,
			"time_step_rank": c.DtRank, "intermediate_size": c.DInner, "use_bias": false, "use_conv_bias": true,
			"layer_norm_epsilon": 1e-5, "tie_word_embeddings": true, "torch_dtype": map[safetensors.DType]string{
				safetensors.F32: "float32", safetensors.F16: "float16", safetensors.BF16: "bfloat16", safetensors.F64: "float64"}[dtype]}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: export: %w", err)
	}
	cj, _ := json.MarshalIndent(conf, "", "  ")
	if err := atomicfile.WriteBytes(filepath.Join(dir, ConfigFile), append(cj, '\n')); err != nil {
		return fmt.Errorf("checkpoint: export: %w", err)
	}
	byName := map[string]*model.Param[float64]{}
	for _, p := range m.Params() {
		byName[p.Name] = p
	}
	var ts []safetensors.Tensor
	for _, e := range expected(c) {
		ts = append(ts, tensorOf(e.stored, dtype, e.shape, byName[e.param].W))
	}
	if layout == MambaSSM {
		ts = append(ts, tensorOf("lm_head.weight", dtype, []int{c.Vocab, c.DModel}, byName["backbone.embedding.weight"].W))
	}
	meta := map[string]string{"format": "pt"}
	if shards == 1 {
		if err := safetensors.WriteFile(filepath.Join(dir, WeightsFile), ts, meta); err != nil {
			return fmt.Errorf("checkpoint: export: %w", err)
		}
		return nil
	}
	weightMap := map[string]string{}
	per := (len(ts) + shards - 1) / shards
	for s := 0; s < shards; s++ {
		name := fmt.Sprintf("model-%05d-of-%05d.safetensors", s+1, shards)
		part := ts[min(s*per, len(ts)):min((s+1)*per, len(ts))]
		for _, t := range part {
			weightMap[t.Name] = name
		}
		if err := safetensors.WriteFile(filepath.Join(dir, name), part, meta); err != nil {
			return fmt.Errorf("checkpoint: export: %w", err)
		}
	}
	ix, _ := json.MarshalIndent(map[string]any{"metadata": map[string]any{}, "weight_map": weightMap}, "", "  ")
	if err := atomicfile.WriteBytes(filepath.Join(dir, ShardIndexFile), append(ix, '\n')); err != nil {
		return fmt.Errorf("checkpoint: export: %w", err)
	}
	return nil
}

func tensorOf(name string, dtype safetensors.DType, shape []int, w []float64) safetensors.Tensor {
	t := safetensors.Tensor{Name: name, DType: dtype, Shape: append([]int(nil), shape...)}
	if dtype == safetensors.F64 {
		t.F64 = append([]float64(nil), w...)
		return t
	}
	t.F32 = make([]float32, len(w))
	for i, v := range w {
		t.F32[i] = float32(v)
	}
	return t
}

// DType is a tensor element type for Export (an alias of the safetensors
// reader's, which lives in an internal package).
type DType = safetensors.DType

// The dtypes Export writes.
const (
	F64  = safetensors.F64
	F32  = safetensors.F32
	F16  = safetensors.F16
	BF16 = safetensors.BF16
)
