package mamba

import (
	"fmt"
	"math"
)

// Hidden attention (docs/paper.md §1.2, the view of Ali, Zimerman & Wolf 2024):
// unrolling the S6 recurrence of channel d gives a causal L×L matrix P^d with
//
//	y_l = Σ_{j≤l} P^d_lj u_j   (then + D_d u_l, then · SiLU(z_l)),
//	P^d_lj = Σ_n C_l[n] · exp(A_dn Σ_{k=j+1..l} Δ_k) · Δ_j B_j[n]   (j ≤ l),
//	P^d_lj = 0   (j > l),
//
// so its diagonal is P^d_ll = Δ_l C_lᵀ B_l, the quadratic form x_lᵀ S_Cᵀ S_B x_l
// scaled by Δ_l. Matrices are returned flat, row-major: P[l*L+j]. The skip D
// and the gate z are not part of P. All arithmetic is float64.

// HiddenAttention returns P^d of batch element b and channel d, shape (L, L),
// from the closed form above with the cumulative sums S_l = Δ_1 + … + Δ_l
// (Σ_{k=j+1..l} Δ_k = S_l − S_j). Δ is delta (+ delta_bias) (softplus'ed
// when DeltaSoftplus), exactly as in the scan; U, D and Z are not used.
func HiddenAttention[T Float](a *ScanArgs[T], b, d int) ([]T, error) {
	if err := checkAttentionArgs(a, b, d); err != nil {
		return nil, err
	}
	p := make([]T, a.Len*a.Len)
	hiddenAttentionInto(p, a, b, d)
	return p, nil
}

// HiddenAttentionAll returns P^d for every channel d of batch element b,
// shape (D, L, L): P[(d*L+l)*L+j]. This is what the figures draw as heatmaps.
func HiddenAttentionAll[T Float](a *ScanArgs[T], b int) ([]T, error) {
	if err := checkAttentionArgs(a, b, 0); err != nil {
		return nil, err
	}
	nl := a.Len
	p := make([]T, a.Dim*nl*nl)
	for d := 0; d < a.Dim; d++ {
		hiddenAttentionInto(p[d*nl*nl:(d+1)*nl*nl], a, b, d)
	}
	return p, nil
}

// HiddenAttentionByScan returns the same (L, L) matrix as HiddenAttention,
// computed independently: column j is the output of ScanRef on channel d of
// batch element b alone, with the unit impulse u = e_j, no skip and no gate.
// It costs L reference scans and exists to check the closed form.
func HiddenAttentionByScan[T Float](a *ScanArgs[T], b, d int) ([]T, error) {
	if err := checkAttentionArgs(a, b, d); err != nil {
		return nil, err
	}
	nl, nn := a.Len, a.State
	one := &ScanArgs[T]{
		Batch: 1, Dim: 1, Len: nl, State: nn,
		U:             make([]T, nl),
		Delta:         a.Delta[(b*a.Dim+d)*nl : (b*a.Dim+d+1)*nl],
		A:             a.A[d*nn : (d+1)*nn],
		VarB:          a.VarB,
		VarC:          a.VarC,
		DeltaSoftplus: a.DeltaSoftplus,
	}
	one.B = channelRows(a.B, a.VarB, b, d, nn*nl, nn)
	one.C = channelRows(a.C, a.VarC, b, d, nn*nl, nn)
	if a.DeltaBias != nil {
		one.DeltaBias = a.DeltaBias[d : d+1]
	}
	p := make([]T, nl*nl)
	for j := 0; j < nl; j++ {
		clear(one.U)
		one.U[j] = 1
		res, err := ScanRef(one)
		if err != nil {
			return nil, fmt.Errorf("mamba: hidden attention by scan, column %d: %w", j, err)
		}
		for l := 0; l < nl; l++ {
			p[l*nl+j] = res.Y[l]
		}
	}
	return p, nil
}

// channelRows returns the part of B or C that channel d of batch element b
// reads: (N, L) of batch b when vary, else row d (N) of the (D, N) matrix.
func channelRows[T Float](m []T, vary bool, b, d, perBatch, nn int) []T {
	if vary {
		return m[b*perBatch : (b+1)*perBatch]
	}
	return m[d*nn : (d+1)*nn]
}

func checkAttentionArgs[T Float](a *ScanArgs[T], b, d int) error {
	if err := a.validateLayout(ChannelMajor, "HiddenAttention"); err != nil {
		return fmt.Errorf("mamba: hidden attention: %w", err)
	}
	if b < 0 || b >= a.Batch {
		return fmt.Errorf("mamba: hidden attention: batch element %d out of range [0, %d)", b, a.Batch)
	}
	if d < 0 || d >= a.Dim {
		return fmt.Errorf("mamba: hidden attention: channel %d out of range [0, %d)", d, a.Dim)
	}
	return nil
}

// hiddenAttentionInto writes P^d of batch b into p (L·L), by the closed form.
func hiddenAttentionInto[T Float](p []T, a *ScanArgs[T], b, d int) {
	nl, nn := a.Len, a.State
	i0 := (b*a.Dim + d) * nl
	dt := make([]float64, nl)
	cum := make([]float64, nl) // S_l = Δ_0 + … + Δ_l (0-based)
	var s float64
	for l := range dt {
		v := a.step(i0+l, d)
		dt[l] = v
		s += v
		cum[l] = s
	}
	bl := make([]float64, nn)
	for j := 0; j < nl; j++ {
		for n := range bl {
			bl[n] = dt[j] * float64(a.bAt(b, d, n, j))
		}
		for l := 0; l < j; l++ {
			p[l*nl+j] = 0
		}
		for l := j; l < nl; l++ {
			gap := cum[l] - cum[j] // Σ_{k=j+1..l} Δ_k
			var v float64
			for n := range bl {
				v += float64(a.cAt(b, d, n, l)) * math.Exp(float64(a.A[d*nn+n])*gap) * bl[n]
			}
			p[l*nl+j] = T(v)
		}
	}
}
