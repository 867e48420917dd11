package model

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

// Refinement 1 of the paper (docs/paper.md §5.1): a parametrization of x_proj's
// weight that fixes the sign pattern of the eigenvalues of μ = S_Cᵀ S_B, as
// the authors' PosDefiniteMambav2 / NegDefiniteMambav2 / RealEigenval
// (registered with torch.nn.utils.parametrize on every layer's x_proj).
//
// The raw tensor X ((R+2N) × Dᵢ, R = dt_rank, Dᵢ = d_inner) is mapped to the
// effective weight [S_Δ; S_B; S_C] (Mamba's x_proj row order Δ, B, C):
//
//	S_Δ   = X[0:R]                                 unchanged
//	P     = X[R:R+N]                               raw B rows
//	d_n   = X[R+N+n, 0]                            FIRST COLUMN of the raw C rows
//	U     = triu(P, 1) + I:  U[n,j] = P[n,j] (j>n), 1 (j=n), 0 (j<n)
//	S_C   = U,   S_B = Λ U,   Λ = diag(λ_n)
//
//	pos:    λ_n = softplus(d_n) + 0.7          μ = Uᵀ Λ U ⪰ 0, N eigenvalues > 0
//	neg:    λ_n = −(softplus(d_n) + 0.7)       N eigenvalues < 0 (the convergent scenario)
//	mixed:  λ_n = s_n softplus(d_n),  s_n = +1 for n < ⌊N/2⌋, −1 otherwise (no offset)
//
// The strictly-lower part of P and all but the first column of the raw C rows
// get no gradient (they do not enter the effective weight).

// Parametrization names accepted in configs.
const (
	ParamNone  = "none"  // unconstrained x_proj (upstream Mamba)
	ParamPos   = "pos"   // PosDefiniteMambav2
	ParamNeg   = "neg"   // NegDefiniteMambav2
	ParamMixed = "mixed" // RealEigenval
)

// eigThreshold is the 0.7 offset of the pos/neg parametrizations.
const eigThreshold = 0.7

// checkParametrization validates a parametrization name ("" means none).
func checkParametrization(kind string) (string, error) {
	switch kind {
	case "", ParamNone:
		return ParamNone, nil
	case ParamPos, ParamNeg, ParamMixed:
		return kind, nil
	}
	return "", fmt.Errorf("model: unknown x_proj parametrization %q (want none, pos, neg or mixed)", kind)
}

// eigLambda returns λ_n and dλ_n/dd_n for the raw value d of state n.
func eigLambda[T Float](kind string, n, nState int, d T) (lam, dlam T) {
	sp, sg := mamba.SoftplusT(d), mamba.SigmoidT(d)
	switch kind {
	case ParamPos:
		return sp + eigThreshold, sg
	case ParamNeg:
		return -(sp + eigThreshold), -sg
	case ParamMixed:
		if n < nState/2 {
			return sp, sg
		}
		return -sp, -sg
	}
	panic("model: eigLambda: unconstrained parametrization has no λ")
}

// ParametrizeXProj maps a raw x_proj weight to the effective one, the
// forward of the parametrization above.
//
//	raw, eff  (R+2N, Dᵢ) row-major; eff is overwritten
//
// For kind "none" eff is a copy of raw.
func ParametrizeXProj[T Float](kind string, dtRank, nState, dInner int, raw, eff []T) error {
	kind, err := checkParametrization(kind)
	if err != nil {
		return err
	}
	rows := dtRank + 2*nState
	if len(raw) != rows*dInner || len(eff) != rows*dInner {
		return fmt.Errorf("model: parametrize x_proj: raw has %d, eff %d elements, want (%d+2·%d)×%d = %d",
			len(raw), len(eff), dtRank, nState, dInner, rows*dInner)
	}
	copy(eff[:dtRank*dInner], raw[:dtRank*dInner])
	if kind == ParamNone {
		copy(eff, raw)
		return nil
	}
	for n := 0; n < nState; n++ {
		lam, _ := eigLambda(kind, n, nState, raw[(dtRank+nState+n)*dInner])
		p := raw[(dtRank+n)*dInner : (dtRank+n+1)*dInner]
		sb := eff[(dtRank+n)*dInner : (dtRank+n+1)*dInner]
		sc := eff[(dtRank+nState+n)*dInner : (dtRank+nState+n+1)*dInner]
		for j := 0; j < dInner; j++ {
			var u T
			switch {
			case j > n:
				u = p[j]
			case j == n:
				u = 1
			}
			sc[j] = u
			sb[j] = lam * u
		}
	}
	return nil
}

// parametrizeXProjBackward adds ∂loss/∂raw to graw given geff = ∂loss/∂eff
// (both (R+2N, Dᵢ)). It needs the raw weight for λ and U.
//
//	∂U[n,j]  = ∂S_C[n,j] + λ_n ∂S_B[n,j]        → ∂P[n,j] for j > n
//	∂λ_n     = Σ_j ∂S_B[n,j] U[n,j]              → ∂d_n = ∂λ_n dλ/dd
func parametrizeXProjBackward[T Float](kind string, dtRank, nState, dInner int, raw, geff, graw []T) {
	if kind == ParamNone {
		for i, g := range geff {
			graw[i] += g
		}
		return
	}
	for i, g := range geff[:dtRank*dInner] {
		graw[i] += g
	}
	for n := 0; n < nState; n++ {
		dIdx := (dtRank + nState + n) * dInner
		lam, dlam := eigLambda(kind, n, nState, raw[dIdx])
		p := raw[(dtRank+n)*dInner : (dtRank+n+1)*dInner]
		gp := graw[(dtRank+n)*dInner : (dtRank+n+1)*dInner]
		gsb := geff[(dtRank+n)*dInner : (dtRank+n+1)*dInner]
		gsc := geff[(dtRank+nState+n)*dInner : (dtRank+nState+n+1)*dInner]
		var glam T
		if n < dInner {
			glam = gsb[n] // U[n,n] = 1
		}
		for j := n + 1; j < dInner; j++ {
			gp[j] += gsc[j] + lam*gsb[j]
			glam += gsb[j] * p[j]
		}
		graw[dIdx] += glam * dlam
	}
}

// XProjMu returns the input/output projection matrix μ = S_Cᵀ S_B (docs/paper.md
// §1.1, theory.Mu), d × d row-major in float64, from an effective x_proj
// weight [S_Δ'; S_B; S_C] (EffectiveXProj).
//
//	eff     (dtRank+2N, d) row-major
//	result  (d, d)
func XProjMu[T Float](eff []T, dtRank, nState, d int) ([]float64, error) {
	if len(eff) != (dtRank+2*nState)*d {
		return nil, fmt.Errorf("model: x_proj μ: weight has %d elements, want (%d+2·%d)×%d", len(eff), dtRank, nState, d)
	}
	f := func(v []T) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	}
	return theory.Mu(f(eff[dtRank*d:(dtRank+nState)*d]), f(eff[(dtRank+nState)*d:(dtRank+2*nState)*d]), nState, d), nil
}
