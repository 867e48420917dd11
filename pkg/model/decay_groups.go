package model

// The weight-decay groups (optim.DecayGroups and the trainers' options):
// which parameters AdamW decays, by the NoDecay marks the model sets.
const (
	// DecayAll decays every parameter, as the authors' optimizer (it has
	// no parameter groups).
	DecayAll = "all"
	// DecayMamba exempts A_log, D, biases and norm weights (the tensors the
	// model marks NoDecay), as mamba_ssm's and timm's recipes do.
	DecayMamba = "mamba"
)
