package train

// ScaledExperiment is the specification of the scaled-down proxy (see
// the sizing note in the package documentation of this file's constants).
func ScaledExperiment() ExperimentSpec {
	o := DefaultOptions()
	o.Steps, o.Batch, o.Accum = 300, 8, 1
	o.EvalEvery, o.EvalWindows, o.EvalBatch = 30, 32, 16
	return ExperimentSpec{
		Name: "wt103-scaled",
		Base: Config{
			Model:            ModelConfig{DModel: 64, NLayer: 2, DState: 16, DConv: 4, Expand: 2, Param: "none"},
			Data:             DataConfig{Name: "gcide", SeqLen: 128},
			Train:            o,
			Seed:             1,
			Threads:          1,
			FinalEvalWindows: 256,
		},
		Scenarios: Parametrizations(),
		Seeds:     []uint64{1, 2, 3},
		Parallel:  2,
	}
}
