package model

import (
	"math"
	"math/rand/v2"
)

// Initialisation as mamba_ssm (mamba_simple.Mamba.__init__ and
// mixer_seq_simple._init_weights), drawn from an explicit *rand.Rand. The
// draws are made in a fixed order (parameter creation order, then element
// order), so a seed fixes every weight. The distributions, not the bits,
// match PyTorch.

// Δ initialisation range of Mamba (dt_min, dt_max, dt_init_floor).
const (
	dtMin       = 0.001
	dtMax       = 0.1
	dtInitFloor = 1e-4
)

// initUniform fills w with U(−bound, bound). PyTorch's default nn.Linear and
// nn.Conv1d weight init, kaiming_uniform(a=√5), is this with
// bound = 1/√fan_in; their default bias init uses the same bound.
func initUniform[T Float](rng *rand.Rand, w []T, bound float64) {
	for i := range w {
		w[i] = T((2*rng.Float64() - 1) * bound)
	}
}

// initNormal fills w with N(0, std²) (nn.Embedding under _init_weights: std 0.02).
func initNormal[T Float](rng *rand.Rand, w []T, std float64) {
	for i := range w {
		w[i] = T(rng.NormFloat64() * std)
	}
}

// initFill sets every element to v (norm weights and D = 1).
func initFill[T Float](w []T, v T) {
	for i := range w {
		w[i] = v
	}
}

// initDtBias draws Δ₀ log-uniformly in [dt_min, dt_max], clamps it to
// ≥ dt_init_floor and stores its inverse softplus, Δ₀ + log(−expm1(−Δ₀)), so
// that softplus(dt_proj.bias) = Δ₀ at initialisation.
func initDtBias[T Float](rng *rand.Rand, b []T) {
	lo, hi := math.Log(dtMin), math.Log(dtMax)
	for i := range b {
		dt := math.Max(math.Exp(rng.Float64()*(hi-lo)+lo), dtInitFloor)
		b[i] = T(dt + math.Log(-math.Expm1(-dt)))
	}
}

// initALog sets A_log[d,n] = log(n+1) (S4D-real: A = −(1, 2, …, N) per channel).
// aLog is (D, N).
func initALog[T Float](aLog []T, nState int) {
	for i := range aLog {
		aLog[i] = T(math.Log(float64(i%nState + 1)))
	}
}

// sqrtf is √n as a float64.
func sqrtf(n int) float64 { return math.Sqrt(float64(n)) }

// Initialisations of ClassifierConfig.Init.
const (
	// InitMamba is mamba_ssm's initialisation (the functions above): the
	// language model's, and the classifier's with the Mamba mixer.
	InitMamba = "mamba"
	// InitMambaVision is MambaVision's (mamba_vision.py, MambaVision._init_weights,
	// applied to the whole model after construction, docs/paper.md §13): every
	// nn.Linear weight ~ trunc_normal(std 0.02) and every nn.Linear bias 0,
	// dt_proj's bias included, so Δ starts at softplus(0) ≈ 0.69 (before the
	// code's double-added bias) instead of in [dt_min, dt_max]. The depthwise
	// convolutions keep PyTorch's default U(±1/√k), A_log and D keep
	// Mamba's values (they are not nn.Linear), norm weights are 1.
	InitMambaVision = "mambavision"
)

// visionStd is the standard deviation of MambaVision's trunc_normal init.
const visionStd = 0.02

// initTruncNormal fills w with N(0, std²) truncated to [−2, 2], timm's
// trunc_normal_(std=std) whose bounds a = −2, b = 2 are absolute (not in
// units of std): out-of-range draws are redrawn.
func initTruncNormal[T Float](rng *rand.Rand, w []T, std float64) {
	for i := range w {
		v := rng.NormFloat64() * std
		for v < -2 || v > 2 {
			v = rng.NormFloat64() * std
		}
		w[i] = T(v)
	}
}
