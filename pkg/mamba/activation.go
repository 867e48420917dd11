package mamba

import "math"

// Softplus returns ln(1 + eˣ), computed without overflow for large |x|.
// It is the map from the raw step to Δ = softplus(S_Δ x + b).
func Softplus(x float64) float64 {
	if x > 30 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// Sigmoid returns 1/(1 + e⁻ˣ), the derivative of Softplus.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// SiLU returns x·σ(x), Mamba's activation and gate.
func SiLU(x float64) float64 { return x * Sigmoid(x) }
