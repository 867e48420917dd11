package model

// Importance score of refinement 2 (docs/paper.md §5.2 item 3): for each token,
//
//	s_l = K δ_l,   δ_l = dt_proj(x_proj_Δ(x_l)) = W_dt S'_Δ x_l + b_dt = S_Δ x_l + b_dt
//
// with K the learned d_inner/2 → 1 linear map without bias (the authors'
// attribute `imporantness`, code comment "K @ Sd @ x"). δ includes the
// dt_proj bias, as in the code.

// importanceForward: s[i] = Σ_d k[d] δ[i,d] for m rows.  δ (m, n), k (n), s (m).
func importanceForward[T Float](m, n int, delta, k, s []T) {
	for i := 0; i < m; i++ {
		var acc T
		for d, v := range delta[i*n : (i+1)*n] {
			acc += k[d] * v
		}
		s[i] = acc
	}
}

// importanceBackward: gk += Σ_i gs[i] δ[i,:]; gδ[i,:] = gs[i] k (overwritten).
func importanceBackward[T Float](m, n int, delta, k, gs, gk, gdelta []T) {
	for i := 0; i < m; i++ {
		g := gs[i]
		row := delta[i*n : (i+1)*n]
		grow := gdelta[i*n : (i+1)*n]
		for d, v := range row {
			gk[d] += g * v
			grow[d] = g * k[d]
		}
	}
}
