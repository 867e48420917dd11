package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/internal/strictjson"
	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// A training checkpoint (written by `tokendyn train` and pkg/train's
// Trainer, read back to resume a run and by Open to inspect it) is a unit:
// two files in a step directory, published together by a pointer written
// last.
//
//	DIR/checkpoint.json        the pointer (Pointer): the step, the
//	                           step directory's name, and each file's size and
//	                           SHA-256; replaced atomically (atomicfile)
//	DIR/step-NNNNNNNN/         the files of one checkpoint:
//	  model.safetensors        the weights under their PyTorch state-dict names
//	                           (Param.Name, e.g. backbone.layers.0.mixer.A_log),
//	                           F32 for float32 models, F64 for float64, plus the
//	                           aliases (lm_head.weight, a copy of the tied
//	                           embedding), so that load_state_dict(strict=True)
//	                           accepts it. Metadata: "format": "pt",
//	                           "tokendyn.step" and the caller's Meta (for example
//	                           "tokendyn.config", the JSON run configuration).
//	  optimizer.safetensors    AdamW's moments as "exp_avg.<name>" and
//	                           "exp_avg_sq.<name>" (torch.optim.AdamW's state
//	                           keys), same dtype as the weights. Metadata:
//	                           "tokendyn.step", "tokendyn.state" (the trainer's
//	                           state as JSON: its "step", tokens seen, history,
//	                           running loss), "tokendyn.options" (the trainer's
//	                           options as JSON) and a copy of the caller's Meta
//	                           (loading checks both agree).
//
// SaveTraining writes a new step directory (both files fsynced), then the
// pointer, and only then removes the previous step directory: a crash at any
// instant leaves the pointer naming a complete checkpoint (the previous or
// the new one). Step directories that no pointer names are leftovers of a
// crash and are removed by the next save. A directory holding
// model.safetensors and optimizer.safetensors directly (the layout before the
// pointer) is still read.
const (
	OptimizerFile = "optimizer.safetensors"
	PointerFile   = "checkpoint.json"
	stepDirPrefix = "step-"
	pointerFormat = "tokendyn-checkpoint/1"
)

// Pointer is the content of PointerFile.
type Pointer struct {
	Format string                   `json:"format"` // "tokendyn-checkpoint/1"
	Step   int                      `json:"step"`
	Dir    string                   `json:"dir"` // the step directory, relative to the checkpoint directory
	Files  map[string]PublishedFile `json:"files"`
}

// PublishedFile is one file of a published checkpoint.
type PublishedFile struct {
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// maxPointerBytes bounds the pointer file that is read (it holds two entries).
const maxPointerBytes = 1 << 16

// ParsePointer decodes a pointer strictly: one JSON object with exactly the
// known fields, a step directory that is a plain name, and the two files.
func ParsePointer(b []byte) (Pointer, error) {
	var p Pointer
	if len(b) > maxPointerBytes {
		return p, fmt.Errorf("%d bytes, more than the %d a pointer holds", len(b), maxPointerBytes)
	}
	if err := strictjson.Decode(b, &p); err != nil {
		return p, err
	}
	switch {
	case p.Format != pointerFormat:
		return p, fmt.Errorf("format %q, want %q", p.Format, pointerFormat)
	case p.Step < 0:
		return p, fmt.Errorf("step %d is negative", p.Step)
	case !strings.HasPrefix(p.Dir, stepDirPrefix) || p.Dir != filepath.Base(p.Dir) || strings.ContainsAny(p.Dir, `/\`):
		return p, fmt.Errorf("dir %q is not a step directory name", p.Dir)
	case len(p.Files) != 2:
		return p, fmt.Errorf("%d files, want %s and %s", len(p.Files), WeightsFile, OptimizerFile)
	}
	for _, name := range []string{WeightsFile, OptimizerFile} {
		f, ok := p.Files[name]
		if !ok {
			return p, fmt.Errorf("no entry for %s", name)
		}
		if f.Bytes < 0 || len(f.SHA256) != 64 {
			return p, fmt.Errorf("entry %s: bytes %d, sha256 %q", name, f.Bytes, f.SHA256)
		}
	}
	return p, nil
}

// TrainingFiles returns the paths of the model and optimizer files of the
// checkpoint published in dir, after checking them against the pointer
// (sizes and SHA-256), or those of the older layout (both files directly in
// dir).
func TrainingFiles(dir string) (modelPath, optimizerPath string, err error) {
	b, err := strictjson.ReadFile(filepath.Join(dir, PointerFile), maxPointerBytes)
	if errors.Is(err, fs.ErrNotExist) {
		mp, op := filepath.Join(dir, WeightsFile), filepath.Join(dir, OptimizerFile)
		if _, err := os.Stat(mp); err != nil {
			return "", "", fmt.Errorf("checkpoint: no checkpoint in %s (neither %s nor %s)", dir, PointerFile, WeightsFile)
		}
		return mp, op, nil
	}
	if err != nil {
		return "", "", fmt.Errorf("checkpoint: %s: %w", dir, err)
	}
	p, err := ParsePointer(b)
	if err != nil {
		return "", "", fmt.Errorf("checkpoint: pointer %s: %w", filepath.Join(dir, PointerFile), err)
	}
	for _, name := range []string{WeightsFile, OptimizerFile} {
		want := p.Files[name]
		path := filepath.Join(dir, p.Dir, name)
		got, err := fileDigest(path)
		if err != nil {
			return "", "", fmt.Errorf("checkpoint: %s: %w", dir, err)
		}
		if got != want {
			return "", "", fmt.Errorf("checkpoint: %s: %s has %d bytes and sha256 %.12s…, the pointer says %d bytes and %.12s…", dir, path, got.Bytes, got.SHA256, want.Bytes, want.SHA256)
		}
	}
	return filepath.Join(dir, p.Dir, WeightsFile), filepath.Join(dir, p.Dir, OptimizerFile), nil
}

func fileDigest(path string) (PublishedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return PublishedFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return PublishedFile{}, fmt.Errorf("read %s: %w", path, err)
	}
	return PublishedFile{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// readPointer returns the published pointer of dir, if any.
func readPointer(dir string) (Pointer, bool) {
	b, err := strictjson.ReadFile(filepath.Join(dir, PointerFile), maxPointerBytes)
	if err != nil {
		return Pointer{}, false
	}
	p, err := ParsePointer(b)
	return p, err == nil
}

// HasTraining reports whether dir holds a training checkpoint (published, or of the
// older layout).
func HasTraining(dir string) bool {
	for _, f := range []string{PointerFile, WeightsFile} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// CheckOutDir makes sure a run can write its checkpoints into dir before it
// trains: dir is created if needed and a file is created and removed in it.
// A dir that already holds a checkpoint is refused unless existing is true
// (the caller resumes, or was told to overwrite).
func CheckOutDir(dir string, existing bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: output directory: %w", err)
	}
	if !existing && HasTraining(dir) {
		return fmt.Errorf("%s already holds the checkpoint of another run; resume it (--resume %s), choose another --out, or pass --force to replace it", dir, dir)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("checkpoint: output directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("checkpoint: output directory %s: %w", dir, err)
	}
	return nil
}

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

// SaveTraining writes the weights of opt's parameters, its moments, the
// trainer's state and options (JSON-encoded; state must have a "step" equal
// to opt.Step) as a new checkpoint in dir (created if needed), published
// only once both files are complete (see the layout above). meta entries are
// added to the model file's metadata; aliases (extra name → parameter name)
// are written as copies.
func SaveTraining[T mamba.Float](dir string, opt *optim.AdamW[T], state, options any, meta, aliases map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	stJSON, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("checkpoint: state: %w", err)
	}
	optJSON, err := json.Marshal(options)
	if err != nil {
		return fmt.Errorf("checkpoint: options: %w", err)
	}
	old, published := readPointer(dir)
	if err := removeUnpublished(dir, old.Dir); err != nil {
		return err
	}
	sub := freeStepDir(dir, opt.Step, old.Dir, published)
	subPath := filepath.Join(dir, sub)
	if err := os.Mkdir(subPath, 0o755); err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	step := strconv.Itoa(opt.Step)
	if err := writeOptimizerFile(subPath, opt, step, stJSON, optJSON, meta); err != nil {
		return err
	}
	if err := writeWeightsFile(subPath, opt, step, meta, aliases); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(dir); err != nil { // the step directory's entry
		return fmt.Errorf("checkpoint:: %w", err)
	}
	if err := writePointer(dir, sub, opt.Step); err != nil {
		return err
	}
	// Published: the previous checkpoint (and the older layout's files) can go.
	if err := removeUnpublished(dir, sub); err != nil {
		return err
	}
	for _, f := range []string{WeightsFile, OptimizerFile} {
		os.Remove(filepath.Join(dir, f))
	}
	return atomicfile.SyncDir(dir)
}

// freeStepDir returns the name of a new step directory of dir for step:
// step-NNNNNNNN, or step-NNNNNNNN.k with the first k ≥ 1 that names neither
// an existing entry nor the published directory oldDir (when published)
// when the same step is saved again.
func freeStepDir(dir string, step int, oldDir string, published bool) string {
	sub := fmt.Sprintf("%s%08d", stepDirPrefix, step)
	for k := 1; published && sub == oldDir || pathExists(filepath.Join(dir, sub)); k++ {
		sub = fmt.Sprintf("%s%08d.%d", stepDirPrefix, step, k) // the same step saved again
	}
	return sub
}

// writeOptimizerFile writes OptimizerFile into the step directory subPath:
// opt's moments under torch.optim.AdamW's names, with the step, the
// trainer's state and options (JSON) and a copy of meta as metadata.
func writeOptimizerFile[T mamba.Float](subPath string, opt *optim.AdamW[T], step string, stJSON, optJSON []byte, meta map[string]string) error {
	var moments []safetensors.Tensor
	for i, p := range opt.Params() {
		moments = append(moments, toTensor("exp_avg."+p.Name, p.Shape, opt.M[i]), toTensor("exp_avg_sq."+p.Name, p.Shape, opt.V[i]))
	}
	om := map[string]string{"tokendyn.step": step, "tokendyn.state": string(stJSON), "tokendyn.options": string(optJSON)}
	for k, v := range meta { // a second copy: LoadTraining checks that both agree
		om[k] = v
	}
	if err := safetensors.WriteFile(filepath.Join(subPath, OptimizerFile), moments, om); err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	return nil
}

// writeWeightsFile writes WeightsFile into the step directory subPath: the
// weights of opt's parameters, then a copy under each alias whose source
// parameter exists, with the format, the step and meta as metadata.
func writeWeightsFile[T mamba.Float](subPath string, opt *optim.AdamW[T], step string, meta, aliases map[string]string) error {
	byName := map[string]*model.Param[T]{}
	var weights []safetensors.Tensor
	for _, p := range opt.Params() {
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
	if err := safetensors.WriteFile(filepath.Join(subPath, WeightsFile), weights, mm); err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	return nil
}

// writePointer publishes the step directory sub of dir: it replaces the
// pointer atomically with one naming sub, step and the size and SHA-256 of
// both files.
func writePointer(dir, sub string, step int) error {
	subPath := filepath.Join(dir, sub)
	ptr := Pointer{Format: pointerFormat, Step: step, Dir: sub, Files: map[string]PublishedFile{}}
	for _, name := range []string{WeightsFile, OptimizerFile} {
		d, err := fileDigest(filepath.Join(subPath, name))
		if err != nil {
			return fmt.Errorf("checkpoint:: %w", err)
		}
		ptr.Files[name] = d
	}
	pb, err := json.MarshalIndent(ptr, "", "  ")
	if err != nil {
		return fmt.Errorf("checkpoint: pointer: %w", err)
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, PointerFile), append(pb, '\n')); err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	return nil
}

func pathExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// removeUnpublished removes every step directory of dir but keep.
func removeUnpublished(dir, keep string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("checkpoint:: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stepDirPrefix) && e.Name() != keep {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("checkpoint:: remove stale %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}

// Saved is what LoadTraining read besides the tensors it copied and the
// state and options it decoded.
type Saved struct {
	Step int
	Meta map[string]string // the model file's metadata
}

// LoadTraining reads dir into opt's parameters (W) and moments, sets
// opt.Step, decodes the stored trainer state and options strictly into
// state and options (pointers), and returns the step and the metadata.
// Every parameter must be present with its shape and dtype; a tensor the
// model does not have (other than an alias, which must equal its source) is
// an error, as are non-finite values, files from different steps and a state
// at another step.
func LoadTraining[T mamba.Float](dir string, opt *optim.AdamW[T], aliases map[string]string, state, options any) (*Saved, error) {
	mp, op, err := TrainingFiles(dir)
	if err != nil {
		return nil, err
	}
	mf, err := safetensors.ReadFile(mp)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: load: %w", err)
	}
	of, err := safetensors.ReadFile(op)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: load: %w", err)
	}
	for _, f := range []*safetensors.File{mf, of} {
		if err := f.CheckFinite(); err != nil {
			return nil, fmt.Errorf("checkpoint: load %s: %w", dir, err)
		}
	}
	ck, err := parseTrainingMeta(mf.Metadata, of.Metadata, state, options)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: load %s: %w", dir, err)
	}
	known := map[string]bool{}
	for i, p := range opt.Params() {
		known[p.Name] = true
		t, ok := mf.Tensor(p.Name)
		if !ok {
			return nil, fmt.Errorf("checkpoint: load %s: no tensor %s", dir, p.Name)
		}
		if err := fromTensor(t, p.Shape, p.W); err != nil {
			return nil, fmt.Errorf("checkpoint: load %s: %w", dir, err)
		}
		for _, mv := range []struct {
			prefix string
			dst    []T
		}{{"exp_avg.", opt.M[i]}, {"exp_avg_sq.", opt.V[i]}} {
			t, ok := of.Tensor(mv.prefix + p.Name)
			if !ok {
				return nil, fmt.Errorf("checkpoint: load %s: no tensor %s%s", dir, mv.prefix, p.Name)
			}
			if err := fromTensor(t, p.Shape, mv.dst); err != nil {
				return nil, fmt.Errorf("checkpoint: load %s: %w", dir, err)
			}
		}
	}
	for _, name := range mf.Names() {
		if known[name] {
			continue
		}
		src, ok := aliases[name]
		if !ok {
			return nil, fmt.Errorf("checkpoint: load %s: tensor %s is not a parameter of this model", dir, name)
		}
		a, _ := mf.Tensor(name)
		s, ok := mf.Tensor(src)
		if !ok || a.Len() != s.Len() {
			return nil, fmt.Errorf("checkpoint: load %s: alias %s does not match %s", dir, name, src)
		}
		for i := 0; i < a.Len(); i++ {
			if a.At(i) != s.At(i) {
				return nil, fmt.Errorf("checkpoint: load %s: tied tensor %s differs from %s at element %d", dir, name, src, i)
			}
		}
	}
	if n := len(of.Names()); n != 2*len(opt.Params()) {
		return nil, fmt.Errorf("checkpoint: load %s: optimizer file has %d tensors, want %d", dir, n, 2*len(opt.Params()))
	}
	opt.Step = ck.Step
	return ck, nil
}

// parseTrainingMeta checks the metadata of a checkpoint's model and
// optimizer files: both at the same step (a non-negative integer), every key
// they share equal (except format), the optimizer's state and options
// decoded strictly into state and options, and the state's "step" equal to
// the files'.
func parseTrainingMeta(model, optimizer map[string]string, state, options any) (*Saved, error) {
	ms, ostep := model["tokendyn.step"], optimizer["tokendyn.step"]
	if ms == "" || ms != ostep {
		return nil, fmt.Errorf("model file is at step %q, optimizer file at step %q (interrupted write?)", ms, ostep)
	}
	step, err := strconv.Atoi(ms)
	if err != nil || step < 0 {
		return nil, fmt.Errorf("bad step %q", ms)
	}
	for k, v := range model {
		if ov, ok := optimizer[k]; ok && k != "format" && ov != v {
			return nil, fmt.Errorf("metadata %s differs between the model and the optimizer file (edited?)", k)
		}
	}
	st := []byte(optimizer["tokendyn.state"])
	if err := strictjson.Decode(st, state); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if err := strictjson.Decode([]byte(optimizer["tokendyn.options"]), options); err != nil {
		return nil, fmt.Errorf("options: %w", err)
	}
	var at struct {
		Step *int `json:"step"`
	}
	if err := json.Unmarshal(st, &at); err != nil || at.Step == nil || *at.Step != step {
		return nil, fmt.Errorf("state not at the files' step %d", step)
	}
	return &Saved{Step: step, Meta: model}, nil
}

// RunConfig returns the run configuration `tokendyn train` stored (the
// "tokendyn.config" metadata of the published model file of dir), as JSON;
// pkg/train decodes it.
func RunConfig(dir string) ([]byte, error) {
	mp, _, err := TrainingFiles(dir)
	if err != nil {
		return nil, err
	}
	f, err := safetensors.ReadFile(mp)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: run configuration: %w", err)
	}
	s, ok := f.Metadata[tokendynMetaKey]
	if !ok {
		return nil, fmt.Errorf("checkpoint: %s holds no %s metadata", dir, tokendynMetaKey)
	}
	return []byte(s), nil
}
