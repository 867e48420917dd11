package model

// The weight-decay groups (optim.DecayGroups and the trainers' options):
// which parameters AdamW decays, by the NoDecay marks the model sets.
const (
	// DecayAll decays every parameter, as the authors' optimizer (it has
	// no parameter groups).
	DecayAll = "all"
	// DecayMamba exempts A_log, D, biases and norm weights (the tensors the
	// model marks NoDecay), as mamba_ssm's recipe does.
	DecayMamba = "mamba"
	// DecayTimm exempts every parameter with at most one dimension
	// (biases, norm weights, D, the step bias) and decays the rest, A_log
	// included: timm's create_optimizer_v2 with filter_bias_and_bn, the
	// optimizer of the authors' MambaVision runs.
	DecayTimm = "timm"
)
