package checkpoint

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/tokendyn/tokendyn/pkg/model"
)

// Config is the shape of a Mamba-1 LM as a checkpoint stores it, whatever
// the layout: the model's one configuration (model.LMConfig; Vocab is the
// number of embedding rows, as mamba_ssm pads vocab_size up to a multiple of
// pad_vocab_size_multiple) with the layout it was read from, DInner =
// Expand·DModel, and the corpus of a tokendyn checkpoint.
type Config struct {
	Layout Layout `json:"layout"`
	model.LMConfig
	DInner int `json:"d_inner"`
	// Data is the corpus of a tokendyn checkpoint ("gcide" or
	// "wikitext103"), which fixes its byte vocabulary; "" otherwise.
	Data string `json:"data,omitempty"`
}

// fill resolves Mamba's defaults (d_state 16, d_conv 4, expand 2,
// dt_rank ⌈d_model/16⌉) and checks the result; where names the file.
func (c *Config) fill(where string) error {
	if c.DModel < 1 || c.NLayer < 1 || c.Vocab < 1 {
		return fmt.Errorf("%s: d_model %d, n_layer %d and vocab_size %d must be positive", where, c.DModel, c.NLayer, c.Vocab)
	}
	if c.DState == 0 {
		c.DState = 16
	}
	if c.DConv == 0 {
		c.DConv = 4
	}
	if c.Expand == 0 {
		c.Expand = 2
	}
	if c.DtRank == 0 {
		c.DtRank = (c.DModel + 15) / 16
	}
	if c.DState < 1 || c.DConv < 1 || c.Expand < 1 || c.DtRank < 1 {
		return fmt.Errorf("%s: d_state %d, d_conv %d, expand %d and dt_rank %d must be positive", where, c.DState, c.DConv, c.Expand, c.DtRank)
	}
	const limit = 1 << 20
	if c.DModel > limit || c.NLayer > limit || c.Vocab > 1<<24 || c.DState > limit || c.DConv > limit || c.Expand > 64 || c.DtRank > limit {
		return fmt.Errorf("%s: implausibly large dimensions %+v", where, *c)
	}
	c.DInner = c.Expand * c.DModel
	if c.Param == "" {
		c.Param = model.ParamNone
	}
	return nil
}

// configTokendyn reads the run configuration stored by tokendyn train.
func configTokendyn(dir string, meta map[string]string) (Config, error) {
	where := filepath.Join(dir, WeightsFile)
	var rc struct {
		Model model.LMConfig `json:"model"`
		Data  struct {
			Name string `json:"name"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(meta[tokendynMetaKey]), &rc); err != nil {
		return Config{}, fmt.Errorf("%s: metadata %s: %w", where, tokendynMetaKey, err)
	}
	c := Config{Layout: Tokendyn, LMConfig: rc.Model, Data: rc.Data.Name}
	return c, c.fill(where)
}

// configMambaSSM reads mamba_ssm's MambaConfig.
func configMambaSSM(dir string, raw map[string]json.RawMessage) (Config, error) {
	where := filepath.Join(dir, ConfigFile)
	var mc struct {
		DModel int `json:"d_model"`
		NLayer int `json:"n_layer"`
		Vocab  int `json:"vocab_size"`
		Pad    int `json:"pad_vocab_size_multiple"`
		DInter int `json:"d_intermediate"`
		SSM    struct {
			Layer  string          `json:"layer"`
			DState int             `json:"d_state"`
			DConv  int             `json:"d_conv"`
			Expand int             `json:"expand"`
			DtRank json.RawMessage `json:"dt_rank"`
		} `json:"ssm_cfg"`
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &mc); err != nil {
		return Config{}, fmt.Errorf("%s: %w", where, err)
	}
	if r, ok := raw["rms_norm"]; ok && string(r) == "false" {
		return Config{}, fmt.Errorf("%s: rms_norm false (LayerNorm blocks) is not supported", where)
	}
	if mc.SSM.Layer != "" && mc.SSM.Layer != "Mamba1" {
		return Config{}, fmt.Errorf("%s: ssm_cfg.layer %q is not Mamba-1", where, mc.SSM.Layer)
	}
	if mc.DInter != 0 {
		return Config{}, fmt.Errorf("%s: d_intermediate %d (MLP blocks) is not supported", where, mc.DInter)
	}
	c := Config{Layout: MambaSSM, LMConfig: model.LMConfig{DModel: mc.DModel, NLayer: mc.NLayer, Vocab: mc.Vocab,
		DState: mc.SSM.DState, DConv: mc.SSM.DConv, Expand: mc.SSM.Expand}}
	if r := mc.SSM.DtRank; len(r) > 0 && string(r) != `"auto"` && string(r) != "null" {
		if err := json.Unmarshal(r, &c.DtRank); err != nil {
			return Config{}, fmt.Errorf("%s: ssm_cfg.dt_rank %s: want \"auto\" or an integer", where, r)
		}
	}
	if mc.Pad > 1 && c.Vocab%mc.Pad != 0 {
		c.Vocab += mc.Pad - c.Vocab%mc.Pad
	}
	return c, c.fill(where)
}

// configTransformers reads transformers' MambaConfig.
func configTransformers(dir string, raw map[string]json.RawMessage) (Config, error) {
	where := filepath.Join(dir, ConfigFile)
	var hc struct {
		Hidden  int      `json:"hidden_size"`
		NLayer  int      `json:"num_hidden_layers"`
		Vocab   int      `json:"vocab_size"`
		DState  int      `json:"state_size"`
		Expand  int      `json:"expand"`
		DConv   int      `json:"conv_kernel"`
		DtRank  any      `json:"time_step_rank"`
		Inter   int      `json:"intermediate_size"`
		UseBias bool     `json:"use_bias"`
		ConvB   *bool    `json:"use_conv_bias"`
		Eps     *float64 `json:"layer_norm_epsilon"`
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &hc); err != nil {
		return Config{}, fmt.Errorf("%s: %w", where, err)
	}
	if hc.UseBias || (hc.ConvB != nil && !*hc.ConvB) {
		return Config{}, fmt.Errorf("%s: use_bias %v / use_conv_bias false are not supported (Mamba's defaults are false / true)", where, hc.UseBias)
	}
	if hc.Eps != nil && *hc.Eps != 1e-5 {
		return Config{}, fmt.Errorf("%s: layer_norm_epsilon %g is not supported (Mamba's is 1e-5)", where, *hc.Eps)
	}
	c := Config{Layout: Transformers, LMConfig: model.LMConfig{DModel: hc.Hidden, NLayer: hc.NLayer, Vocab: hc.Vocab, DState: hc.DState, DConv: hc.DConv, Expand: hc.Expand}}
	switch r := hc.DtRank.(type) {
	case float64:
		c.DtRank = int(r)
		if float64(c.DtRank) != r {
			return Config{}, fmt.Errorf("%s: time_step_rank %v is not an integer", where, r)
		}
	case string:
		if r != "auto" {
			return Config{}, fmt.Errorf("%s: time_step_rank %q: want \"auto\" or an integer", where, r)
		}
	}
	if err := c.fill(where); err != nil {
		return Config{}, err
	}
	if hc.Inter != 0 && hc.Inter != c.DInner {
		return Config{}, fmt.Errorf("%s: intermediate_size %d is not expand·hidden_size = %d", where, hc.Inter, c.DInner)
	}
	return c, nil
}
