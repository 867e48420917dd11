package lmrun

import "github.com/tokendyn/tokendyn/pkg/model"

// scaledConfig is the "scaled" preset: one run of the scaled-down proxy of
// the paper's WikiText-103 comparison (docs/paper.md §6.1) at its shallowest
// depth — the paper's optimizer settings (AdamW, lr 1.5e-3, weight decay
// 0.25 on every parameter, betas (0.9, 0.999), warm-up 1 % from 1e-6,
// cosine to 0.1·lr, clip 1.0) on a byte-level model of 1.544·10⁵ parameters
// (d_model 80, 3 layers, d_state 16) trained on the GCIDE dictionary text,
// 1600 updates of 8 sequences of 256 bytes. The experiment itself (depths,
// arms, seeds, its own run length) is pkg/experiment/lm.
//
// Departures from the paper besides the sizes: bytes instead of GPT-2
// tokens; no dropout (the authors hard-code 0.3 on the final hidden states,
// but these runs see a fraction of one epoch); the final validation and test
// passes use 512 windows spread evenly over each split instead of the whole
// split.
func scaledConfig() Config {
	o := DefaultOptions()
	o.Steps, o.Batch, o.Accum = 1600, 8, 1
	o.EvalEvery, o.EvalWindows, o.EvalBatch = 80, 32, 16
	return Config{
		Model:            model.LMConfig{DModel: 80, NLayer: 3, DState: 16, DConv: 4, Expand: 2, Param: "none"},
		Data:             DataConfig{Name: "gcide", SeqLen: 256},
		Train:            o,
		Seed:             1,
		Threads:          1,
		FinalEvalWindows: 512,
	}
}
