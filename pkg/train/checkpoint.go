package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Checkpoint files, written atomically (temporary file + rename) into one
// directory:
//
//	model.safetensors      the weights under their PyTorch state-dict names
//	                       (Param.Name, e.g. backbone.layers.0.mixer.A_log),
//	                       F32 for float32 models, F64 for float64, plus the
//	                       aliases (lm_head.weight, a copy of the tied
//	                       embedding), so that load_state_dict(strict=True)
//	                       accepts it. Metadata: "format": "pt",
//	                       "tokendyn.step" and the caller's Meta (for example
//	                       "tokendyn.config", the JSON run configuration).
//	optimizer.safetensors  AdamW's moments as "exp_avg.<name>" and
//	                       "exp_avg_sq.<name>" (torch.optim.AdamW's state keys),
//	                       same dtype as the weights. Metadata:
//	                       "tokendyn.step", "tokendyn.state" (State as JSON: step,
//	                       tokens seen, history, running loss) and
//	                       "tokendyn.options" (Options as JSON).
//
// The optimizer file is written first and the model file second; both carry
// the step, and loading refuses a pair whose steps differ (a crash between
// the two renames).
const (
	ModelFile     = "model.safetensors"
	OptimizerFile = "optimizer.safetensors"
)

// MambaLMAliases are the extra state-dict entries of mamba_ssm's
// MambaLMHeadModel with tied embeddings: lm_head.weight is the embedding.
func MambaLMAliases() map[string]string {
	return map[string]string{"lm_head.weight": "backbone.embedding.weight"}
}

func toTensor[T mamba.Float](name string, shape []int, v []T) safetensors.Tensor {
	t := safetensors.Tensor{Name: name, Shape: append([]int(nil), shape...)}
	if isF32[T]() {
		t.DType = safetensors.F32
		t.F32 = make([]float32, len(v))
		for i, x := range v {
			t.F32[i] = float32(x)
		}
		return t
	}
	t.DType = safetensors.F64
	t.F64 = make([]float64, len(v))
	for i, x := range v {
		t.F64[i] = float64(x)
	}
	return t
}

// isF32 reports whether T has float32 precision (also for named types).
func isF32[T mamba.Float]() bool {
	x := T(1)
	return float64(x+T(1e-10)) == 1 // float64 keeps 1+1e-10, float32 does not
}

// fromTensor copies t into dst, checking the shape and the dtype.
func fromTensor[T mamba.Float](t safetensors.Tensor, shape []int, dst []T) error {
	if len(t.Shape) != len(shape) {
		return fmt.Errorf("tensor %s has shape %v, want %v", t.Name, t.Shape, shape)
	}
	for i := range shape {
		if t.Shape[i] != shape[i] {
			return fmt.Errorf("tensor %s has shape %v, want %v", t.Name, t.Shape, shape)
		}
	}
	want := safetensors.F64
	if isF32[T]() {
		want = safetensors.F32
	}
	if t.DType != want {
		return fmt.Errorf("tensor %s is %s, this model trains in %s", t.Name, t.DType, want)
	}
	if t.Len() != len(dst) {
		return fmt.Errorf("tensor %s has %d elements, want %d", t.Name, t.Len(), len(dst))
	}
	for i := range dst {
		dst[i] = T(t.At(i))
	}
	return nil
}

// SaveCheckpoint writes the weights of opt's parameters, its moments and
// st into dir (created if needed). meta entries are added to the model
// file's metadata; aliases (extra name → parameter name) are written as
// copies.
func SaveCheckpoint[T mamba.Float](dir string, opt *AdamW[T], st State, opts Options, meta, aliases map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	stJSON, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("train: checkpoint state: %w", err)
	}
	optJSON, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("train: checkpoint options: %w", err)
	}
	step := strconv.Itoa(opt.Step)
	var moments []safetensors.Tensor
	for i, p := range opt.params {
		moments = append(moments, toTensor("exp_avg."+p.Name, p.Shape, opt.M[i]), toTensor("exp_avg_sq."+p.Name, p.Shape, opt.V[i]))
	}
	om := map[string]string{"tokendyn.step": step, "tokendyn.state": string(stJSON), "tokendyn.options": string(optJSON)}
	if err := safetensors.WriteFile(filepath.Join(dir, OptimizerFile), moments, om); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	byName := map[string]*model.Param[T]{}
	var weights []safetensors.Tensor
	for _, p := range opt.params {
		byName[p.Name] = p
		weights = append(weights, toTensor(p.Name, p.Shape, p.W))
	}
	for alias, src := range aliases {
		p, ok := byName[src]
		if !ok {
			continue
		}
		weights = append(weights, toTensor(alias, p.Shape, p.W))
	}
	mm := map[string]string{"format": "pt", "tokendyn.step": step}
	for k, v := range meta {
		mm[k] = v
	}
	if err := safetensors.WriteFile(filepath.Join(dir, ModelFile), weights, mm); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	return nil
}

// Checkpoint is what LoadCheckpoint read besides the tensors it copied.
type Checkpoint struct {
	Step    int
	State   State
	Options Options
	Meta    map[string]string // the model file's metadata
}

// LoadCheckpoint reads dir into opt's parameters (W) and moments, sets
// opt.Step, and returns the stored state. Every parameter must be present
// with its shape and dtype; a tensor the model does not have (other than an
// alias, which must equal its source) is an error, as are non-finite values
// and files from different steps.
func LoadCheckpoint[T mamba.Float](dir string, opt *AdamW[T], aliases map[string]string) (*Checkpoint, error) {
	mf, err := safetensors.ReadFile(filepath.Join(dir, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("train: load checkpoint: %w", err)
	}
	of, err := safetensors.ReadFile(filepath.Join(dir, OptimizerFile))
	if err != nil {
		return nil, fmt.Errorf("train: load checkpoint: %w", err)
	}
	for _, f := range []*safetensors.File{mf, of} {
		if err := f.CheckFinite(); err != nil {
			return nil, fmt.Errorf("train: load checkpoint %s: %w", dir, err)
		}
	}
	ms, ostep := mf.Metadata["tokendyn.step"], of.Metadata["tokendyn.step"]
	if ms == "" || ms != ostep {
		return nil, fmt.Errorf("train: load checkpoint %s: model file is at step %q, optimizer file at step %q (interrupted write?)", dir, ms, ostep)
	}
	step, err := strconv.Atoi(ms)
	if err != nil || step < 0 {
		return nil, fmt.Errorf("train: load checkpoint %s: bad step %q", dir, ms)
	}
	ck := &Checkpoint{Step: step, Meta: mf.Metadata}
	if err := json.Unmarshal([]byte(of.Metadata["tokendyn.state"]), &ck.State); err != nil {
		return nil, fmt.Errorf("train: load checkpoint %s: state: %w", dir, err)
	}
	if err := json.Unmarshal([]byte(of.Metadata["tokendyn.options"]), &ck.Options); err != nil {
		return nil, fmt.Errorf("train: load checkpoint %s: options: %w", dir, err)
	}
	if ck.State.Step != step {
		return nil, fmt.Errorf("train: load checkpoint %s: state at step %d, files at step %d", dir, ck.State.Step, step)
	}
	known := map[string]bool{}
	for i, p := range opt.params {
		known[p.Name] = true
		t, ok := mf.Tensor(p.Name)
		if !ok {
			return nil, fmt.Errorf("train: load checkpoint %s: no tensor %s", dir, p.Name)
		}
		if err := fromTensor(t, p.Shape, p.W); err != nil {
			return nil, fmt.Errorf("train: load checkpoint %s: %w", dir, err)
		}
		for _, mv := range []struct {
			prefix string
			dst    []T
		}{{"exp_avg.", opt.M[i]}, {"exp_avg_sq.", opt.V[i]}} {
			t, ok := of.Tensor(mv.prefix + p.Name)
			if !ok {
				return nil, fmt.Errorf("train: load checkpoint %s: no tensor %s%s", dir, mv.prefix, p.Name)
			}
			if err := fromTensor(t, p.Shape, mv.dst); err != nil {
				return nil, fmt.Errorf("train: load checkpoint %s: %w", dir, err)
			}
		}
	}
	for _, name := range mf.Names() {
		if known[name] {
			continue
		}
		src, ok := aliases[name]
		if !ok {
			return nil, fmt.Errorf("train: load checkpoint %s: tensor %s is not a parameter of this model", dir, name)
		}
		a, _ := mf.Tensor(name)
		s, ok := mf.Tensor(src)
		if !ok || a.Len() != s.Len() {
			return nil, fmt.Errorf("train: load checkpoint %s: alias %s does not match %s", dir, name, src)
		}
		for i := 0; i < a.Len(); i++ {
			if a.At(i) != s.At(i) {
				return nil, fmt.Errorf("train: load checkpoint %s: tied tensor %s differs from %s at element %d", dir, name, src, i)
			}
		}
	}
	if n := len(of.Names()); n != 2*len(opt.params) {
		return nil, fmt.Errorf("train: load checkpoint %s: optimizer file has %d tensors, want %d", dir, n, 2*len(opt.params))
	}
	opt.Step = step
	return ck, nil
}

// ConfigFromCheckpoint returns the run configuration stored by Run in the
// metadata of dir's model file.
func ConfigFromCheckpoint(dir string) (Config, error) {
	f, err := safetensors.ReadFile(filepath.Join(dir, ModelFile))
	if err != nil {
		return Config{}, fmt.Errorf("train: checkpoint configuration: %w", err)
	}
	s, ok := f.Metadata["tokendyn.config"]
	if !ok {
		return Config{}, fmt.Errorf("train: checkpoint %s holds no tokendyn.config metadata", dir)
	}
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("train: checkpoint %s configuration: %w", dir, err)
	}
	return c, nil
}
