package checkpoint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/tokendyn/tokendyn/internal/safetensors"
)

// source is where a checkpoint's tensors live: one safetensors file or the
// shards of a model.safetensors.index.json. Tensors are read on demand.
type source struct {
	shards []*single
	where  map[string]*single // tensor name → the shard holding it
}

type single struct{ r *safetensors.Reader }

func openSingle(path string) (*single, error) {
	r, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	return &single{r: r}, nil
}

func (s *single) Close() error { return s.r.Close() }

// openSource opens dir's weights: model.safetensors, or the shards listed
// by model.safetensors.index.json. A directory with only pytorch_model.bin
// gets the one-line conversion command.
func openSource(dir string) (*source, error) {
	idx := filepath.Join(dir, ShardIndexFile)
	if b, err := os.ReadFile(idx); err == nil {
		return openShards(dir, idx, b)
	}
	path, err := weightsPath(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		if _, err := os.Stat(filepath.Join(dir, PickleFile)); err == nil {
			return nil, fmt.Errorf("%s: pickle checkpoints are not read (a Go reader would load the whole file into memory); convert it once with: %s",
				filepath.Join(dir, PickleFile), ConvertCommand(dir))
		}
		return nil, fmt.Errorf("%s: no %s, %s or %s", dir, WeightsFile, ShardIndexFile, PickleFile)
	}
	s, err := openSingle(path)
	if err != nil {
		return nil, err
	}
	src := &source{shards: []*single{s}, where: map[string]*single{}}
	for _, n := range s.r.Names() {
		src.where[n] = s
	}
	return src, nil
}

// ConvertCommand is the one-line PyTorch command that writes dir's
// pytorch_model.bin as model.safetensors (tensors made contiguous, tied
// duplicates kept as copies).
func ConvertCommand(dir string) string {
	in, out := filepath.Join(dir, PickleFile), filepath.Join(dir, WeightsFile)
	return fmt.Sprintf(`python3 -c "import torch; from safetensors.torch import save_file; sd = torch.load('%s', map_location='cpu', weights_only=True); save_file({k: v.contiguous().clone() for k, v in sd.items()}, '%s', metadata={'format': 'pt'})"`, in, out)
}

func openShards(dir, idx string, b []byte) (*source, error) {
	var ix struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.Unmarshal(b, &ix); err != nil {
		return nil, fmt.Errorf("%s: %w", idx, err)
	}
	if len(ix.WeightMap) == 0 {
		return nil, fmt.Errorf("%s: empty weight_map", idx)
	}
	files := map[string]bool{}
	for _, f := range ix.WeightMap {
		if f != filepath.Base(f) || f == "" || f == "." || f == ".." {
			return nil, fmt.Errorf("%s: shard name %q is not a file name in the directory", idx, f)
		}
		files[f] = true
	}
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	src := &source{where: map[string]*single{}}
	byFile := map[string]*single{}
	for _, f := range names {
		s, err := openSingle(filepath.Join(dir, f))
		if err != nil {
			src.Close()
			return nil, err
		}
		src.shards = append(src.shards, s)
		byFile[f] = s
	}
	for name, f := range ix.WeightMap {
		s := byFile[f]
		if _, _, ok := s.r.Info(name); !ok {
			src.Close()
			return nil, fmt.Errorf("%s: maps %s to %s, which does not hold it", idx, name, f)
		}
		src.where[name] = s
	}
	return src, nil
}

// info returns the dtype and shape of a tensor and the file holding it.
func (s *source) info(name string) (dtype safetensors.DType, shape []int, file string, ok bool) {
	sh, ok := s.where[name]
	if !ok {
		return "", nil, "", false
	}
	dt, shape, _ := sh.r.Info(name)
	return dt, shape, sh.r.Path(), true
}

// read reads one tensor as float64 values, refusing NaN and Inf.
func (s *source) read(name string) ([]float64, error) {
	sh, ok := s.where[name]
	if !ok {
		return nil, fmt.Errorf("no tensor %s", name)
	}
	t, err := sh.r.Tensor(name)
	if err != nil {
		return nil, err
	}
	if err := t.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: %w", sh.r.Path(), err)
	}
	out := make([]float64, t.Len())
	for i := range out {
		out[i] = t.At(i)
	}
	return out, nil
}

// names lists every tensor, sorted.
func (s *source) names() []string {
	var out []string
	for n := range s.where {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (s *source) meta() map[string]string {
	if len(s.shards) == 0 {
		return nil
	}
	return s.shards[0].r.Metadata
}

// Close closes every file.
func (s *source) Close() error {
	var first error
	for _, sh := range s.shards {
		if err := sh.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// weightsPath is dir/model.safetensors, or for a checkpoint written by
// `tokendyn train` (a checkpoint.json pointer to a step directory) the
// model file the pointer publishes, checked against its size and digest.
func weightsPath(dir string) (string, error) {
	if !HasTraining(dir) {
		return filepath.Join(dir, WeightsFile), nil
	}
	m, _, err := TrainingFiles(dir)
	if err != nil {
		return "", err
	}
	return m, nil
}
