package model

// TrainFLOPs counts the arithmetic of one predicted token of an LM training
// step (forward and backward) for a configuration with its defaults filled
// in (LM.Config):
//
//	gemm = 6 · Σ multiply-adds of the products per token: per layer
//	       in_proj d·2Dᵢ, x_proj Dᵢ(R+2N), dt_proj R·Dᵢ, out_proj Dᵢ·d; the
//	       tied head d·V (2 FLOP per multiply-add forward, 4 backward)
//	scan = 22 · Dᵢ·N per layer: the recurrence (ΔA, Ā h + Δu B, C·h),
//	       its recomputation in the backward and the adjoint; the
//	       exponentials and the elementwise ops are not counted
//
// with d = d_model, Dᵢ = expand·d, R = dt_rank, N = d_state, V = vocabulary.
func (c LMConfig) TrainFLOPs() (gemm, scan float64) {
	d, r, n := c.DModel, c.DtRank, c.DState
	di := c.Expand * d
	perLayer := d*2*di + di*(r+2*n) + r*di + di*d
	gemm = 6 * float64(c.NLayer*perLayer+d*c.Vocab)
	scan = 22 * float64(c.NLayer*di*n)
	return gemm, scan
}
