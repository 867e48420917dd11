package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Layout is the way a checkpoint directory names its files and tensors.
type Layout string

// The layouts Open reads (see the package documentation).
const (
	Tokendyn     Layout = "tokendyn"
	MambaSSM     Layout = "mamba_ssm"
	Transformers Layout = "transformers"
)

// File names inside a checkpoint directory.
const (
	ConfigFile      = "config.json"
	WeightsFile     = "model.safetensors"
	ShardIndexFile  = "model.safetensors.index.json"
	PickleFile      = "pytorch_model.bin"
	tokendynMetaKey = "tokendyn.config"
)

// detectLayout reads dir/config.json (nil for the tokendyn layout, which has
// none) and says which layout it is.
func detectLayout(dir string) (Layout, map[string]json.RawMessage, error) {
	cfgPath := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(cfgPath)
	if errors.Is(err, fs.ErrNotExist) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", nil, fmt.Errorf("%s: not a directory", dir)
		}
		wpath, err := weightsPath(dir)
		if err != nil {
			return "", nil, err
		}
		if _, err := os.Stat(wpath); err != nil {
			return "", nil, fmt.Errorf("%s: no %s (and no %s written by tokendyn train)", dir, ConfigFile, WeightsFile)
		}
		src, err := openSingle(wpath)
		if err != nil {
			return "", nil, err
		}
		defer src.Close()
		if _, ok := src.r.Metadata[tokendynMetaKey]; !ok {
			return "", nil, fmt.Errorf("%s: no %s, and %s holds no %s metadata (not written by tokendyn train)", dir, ConfigFile, wpath, tokendynMetaKey)
		}
		return Tokendyn, nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", cfgPath, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return "", nil, fmt.Errorf("%s: not a JSON object: %w", cfgPath, err)
	}
	_, hasDModel := raw["d_model"]
	_, hasHidden := raw["hidden_size"]
	switch {
	case hasDModel:
		return MambaSSM, raw, nil
	case hasHidden:
		var mt struct {
			ModelType string `json:"model_type"`
		}
		_ = json.Unmarshal(b, &mt)
		if mt.ModelType != "" && mt.ModelType != "mamba" {
			return "", nil, fmt.Errorf("%s: model_type %q is not a Mamba-1 model (want \"mamba\")", cfgPath, mt.ModelType)
		}
		return Transformers, raw, nil
	}
	return "", nil, fmt.Errorf("%s: unknown layout: neither mamba_ssm's d_model nor transformers' hidden_size", cfgPath)
}
