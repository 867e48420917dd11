package lm

import (
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Default is the experiment `make figures` runs: a depth sweep at a matched
// parameter count (about 1.55·10⁵ parameters each: 3 layers of d_model 80,
// 8 of 48, 16 of 32), the arms neg, pos, none and the symmetry-isolating
// neg-d0 and pos-d0, five seeds, with the authors' optimizer settings
// (docs/paper.md §6.1 and §13: AdamW lr 1.5e-3, weight decay 0.25 on every
// parameter, betas (0.9, 0.999), warm-up 1 % from 1e-6, cosine to 0.1·lr,
// clip 1.0) on byte-level GCIDE text (Debian's dict-gcide).
//
// Sizing: the budget of the whole `make figures` is 25 minutes on 2 cores,
// of which this experiment gets about 17 (≈ 2000 core-seconds for 75 runs,
// two at a time on one thread each). Measured on the development machine,
// one thread trains an update of 4 sequences of 256 bytes in about 0.030 s
// (3×80), 0.042 s (8×48) and 0.055 s (16×32); 600 updates (6.1·10⁵ bytes,
// about 4 per parameter: short of compute-optimal, a property of the proxy)
// plus the evaluations cost about 26 core-seconds per run on average. The
// experiment's result records the CPU time it really took.
//
// Departures from the paper besides the sizes: bytes instead of GPT-2
// tokens, no dropout (a fraction of one epoch), an unconstrained arm, the
// D₀ = 0 arms, and final evaluations on 256 windows spread over each split.
func Default() Spec {
	base, _ := lmrun.Preset("scaled")
	base.Train.Steps, base.Train.Batch, base.Train.Accum = 600, 4, 1
	base.Train.EvalEvery, base.Train.EvalWindows, base.Train.EvalBatch = 100, 16, 16
	base.Train.DecayGroups = model.DecayAll
	base.Model.Dropout = 0
	base.Threads, base.FinalEvalWindows = 1, 256
	return Spec{
		Name:     "wt103-depth",
		Base:     base,
		Depths:   []Depth{{DModel: 80, NLayer: 3}, {DModel: 48, NLayer: 8}, {DModel: 32, NLayer: 16}},
		Arms:     pick(ArmNeg, ArmPos, ArmNone, ArmNegD0, ArmPosD0),
		Seeds:    []uint64{1, 2, 3, 4, 5},
		Parallel: 2,
	}
}

// Quick is a smoke-test version of Default (the same arms, two small
// depths, two seeds, 40 updates): seconds, for tests, the notebook and
// `tokendyn figures --quick`. Its numbers say nothing about the paper's
// claim.
func Quick() Spec {
	s := Default()
	s.Name = "wt103-depth-quick"
	s.Base.Model.DState = 4
	s.Depths = []Depth{{DModel: 16, NLayer: 1}, {DModel: 8, NLayer: 3}}
	s.Base.Data.SeqLen = 64
	s.Base.Train.Steps, s.Base.Train.Batch = 40, 4
	s.Base.Train.EvalEvery, s.Base.Train.EvalWindows = 20, 8
	s.Base.FinalEvalWindows = 32
	s.Seeds = []uint64{1, 2}
	return s
}
