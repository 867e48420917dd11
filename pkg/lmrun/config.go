package lmrun

import (
	"fmt"
	"math"
	"slices"

	"github.com/tokendyn/tokendyn/internal/strictjson"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// DataConfig names the corpus. Every corpus is byte-level (one token per
// byte): the paper's GPT-2 tokenizer is not available in pure Go here.
type DataConfig struct {
	Name   string `json:"name"`          // "gcide" or "wikitext103"
	Dir    string `json:"dir,omitempty"` // where the corpus lives ("" = its default)
	SeqLen int    `json:"seq_len"`       // L, tokens per training sequence
}

// Config is a complete training run: `tokendyn train --config file.json`
// reads it (flags override single fields).
type Config struct {
	Model model.LMConfig `json:"model"`
	Data  DataConfig     `json:"data"`
	Train Options        `json:"train"`
	// Epochs, when > 0, sets Train.Steps to ⌈Epochs·windows/(Batch·Accum)⌉
	// once the training split is known (the paper: 25 epochs).
	Epochs float64 `json:"epochs,omitempty"`
	// Threads is the number of goroutines of the scan and of GOMAXPROCS
	// (0: all cores).
	Threads int `json:"threads,omitempty"`
	// Seed draws the initial weights (Train.Seed draws the data order and
	// dropout); the presets use the same value for both.
	Seed uint64 `json:"seed"`
	// FinalEvalWindows caps the windows of the final validation and test
	// passes (0: whole splits).
	FinalEvalWindows int `json:"final_eval_windows,omitempty"`
}

// Parametrizations are the four x_proj settings compared by the experiment,
// in the order of the paper's argument: the convergent scenario first.
func Parametrizations() []string {
	return []string{model.ParamNeg, model.ParamMixed, model.ParamPos, model.ParamNone}
}

// Presets lists the named configurations.
func Presets() []string { return []string{"paper", "scaled", "tiny"} }

// Preset returns a named configuration:
//
//	paper   the authors' WikiText-103 run (docs/paper.md §6.1): d_model 768,
//	        24 layers, d_state 16, d_conv 4, expand 2, sequences of 1024,
//	        lr 1.5e-3, weight decay 0.25, batch 128 as 1 × 128 accumulated,
//	        25 epochs, warm-up 1 %, clip 1.0, dropout 0.3 on the final hidden
//	        states, seed 42; byte-level (one token per byte, vocabulary 256)
//	        instead of the GPT-2 tokenizer, so there are about 4.6 times more
//	        tokens per epoch than the paper's. Days of CPU time: for users with the data and the time.
//	scaled  one run of the scaled-down proxy (scaledConfig; the experiment is pkg/experiment/lm).
//	tiny    a model that trains in seconds (tests, the notebook).
func Preset(name string) (Config, error) {
	o := DefaultOptions()
	switch name {
	case "paper":
		o.Batch, o.Accum = 1, 128
		o.EvalEvery, o.EvalWindows, o.EvalBatch = 900, 0, 8
		o.CheckpointEvery = 900
		return Config{
			Model:  model.LMConfig{DModel: 768, NLayer: 24, DState: 16, DConv: 4, Expand: 2, Param: model.ParamNone, Dropout: 0.3},
			Data:   DataConfig{Name: "wikitext103", SeqLen: 1024},
			Train:  o,
			Epochs: 25,
			Seed:   42,
		}, nil
	case "scaled":
		return scaledConfig(), nil
	case "tiny":
		o.Steps, o.Batch, o.Accum = 60, 4, 1
		o.LR = 3e-3
		o.EvalEvery, o.EvalWindows, o.EvalBatch = 20, 16, 8
		return Config{
			Model:            model.LMConfig{DModel: 16, NLayer: 1, DState: 4, DConv: 4, Expand: 2, Param: model.ParamPos},
			Data:             DataConfig{Name: "gcide", SeqLen: 32},
			Train:            o,
			Seed:             42,
			FinalEvalWindows: 32,
		}, nil
	}
	return Config{}, fmt.Errorf("lmrun: unknown preset %q (want one of %v)", name, Presets())
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if c.Model.Vocab != 0 && c.Model.Vocab < 2 {
		return fmt.Errorf("lmrun: vocab_size %d: want 0 (the corpus's) or at least 2", c.Model.Vocab)
	}
	if !slices.Contains(Parametrizations(), c.Model.Param) {
		return fmt.Errorf("lmrun: param %q: want one of %v", c.Model.Param, Parametrizations())
	}
	if c.Model.DModel < 1 || c.Model.NLayer < 1 {
		return fmt.Errorf("lmrun: d_model %d and n_layer %d must be positive", c.Model.DModel, c.Model.NLayer)
	}
	if !(c.Model.Dropout >= 0 && c.Model.Dropout < 1) {
		return fmt.Errorf("lmrun: dropout %v must lie in [0, 1)", c.Model.Dropout)
	}
	if c.Data.Name != "gcide" && c.Data.Name != "wikitext103" {
		return fmt.Errorf("lmrun: data %q: want gcide or wikitext103", c.Data.Name)
	}
	if c.Data.SeqLen < 1 {
		return fmt.Errorf("lmrun: seq_len %d must be positive", c.Data.SeqLen)
	}
	if !(c.Epochs >= 0) || math.IsInf(c.Epochs, 0) || c.Threads < 0 || c.FinalEvalWindows < 0 {
		return fmt.Errorf("lmrun: epochs %v, threads %d and final_eval_windows %d must be finite and >= 0", c.Epochs, c.Threads, c.FinalEvalWindows)
	}
	return c.Train.Validate()
}

// StepsForEpochs returns ⌈epochs·windows/(batch·accum)⌉.
func StepsForEpochs(epochs float64, windows, batch, accum int) int {
	return int(math.Ceil(epochs * float64(windows) / float64(batch*accum)))
}

// maxConfigBytes bounds a configuration file (a few hundred bytes in practice).
const maxConfigBytes = 1 << 20

// ReadConfig reads a JSON configuration over base: fields absent from the
// file keep base's values. Decoding is strict (ParseConfig).
func ReadConfig(path string, base Config) (Config, error) {
	b, err := strictjson.ReadFile(path, maxConfigBytes)
	if err != nil {
		return Config{}, fmt.Errorf("lmrun: config: %w", err)
	}
	c, err := ParseConfig(b, base)
	if err != nil {
		return Config{}, fmt.Errorf("lmrun: config %s: %w", path, err)
	}
	return c, nil
}

// ParseConfig decodes a JSON configuration over base. Unknown keys,
// duplicate keys, null, values of the wrong type and data after the object
// are errors naming the key.
func ParseConfig(b []byte, base Config) (Config, error) {
	c := base
	if err := strictjson.Decode(b, &c); err != nil {
		return Config{}, err
	}
	return c, nil
}
