package theory

// PredictFromEigenvalues applies the general-D spectral rule of Spectrum to
// a list of real numbers (the eigenvalues of μ's symmetric part, or the real
// parts of μ's eigenvalues): all negative ⇒ convergent, any positive ⇒
// divergent, otherwise undetermined, with the same relative round-off
// threshold (1e-12 of the largest magnitude). It lets a caller that computed
// the spectrum from a smaller matrix (for a rank-N μ of size D ≫ N, the
// eigenvalues of an N×N or 2N×2N matrix) reach the same verdict as
// Spectrum. Exact zeros (μ's rank deficit) must not be in v: they would make
// an all-negative spectrum undetermined.
func PredictFromEigenvalues(v []float64) Prediction { return signRule(v) }
