package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// hiddenParams are the sizes of the small random S6 layer whose hidden
// attention matrices fig-hidden-attention draws (our own choice).
type hiddenParams struct {
	DInner  int      `json:"d_inner"` // D, token dimension
	DState  int      `json:"d_state"` // N
	DtRank  int      `json:"dt_rank"` // R, rank of S_Δ = W_dt · X[Δ rows]
	Len     int      `json:"len"`     // L, number of tokens
	Channel int      `json:"channel"` // d, the channel drawn, numbered from 1 as in the paper
	RawStd  float64  `json:"raw_std"` // raw x_proj and W_dt entries ~ N(0, RawStd²)
	DeltaB  float64  `json:"dt_bias"` // b_dt: softplus(b_dt) = 0.1 when the rest is 0
	A       string   `json:"a"`       // state matrix initialisation
	Tokens  string   `json:"tokens"`  // token distribution
	Kinds   []string `json:"parametrizations"`
}

func defaultHiddenParams() hiddenParams {
	return hiddenParams{
		DInner: 8, DState: 4, DtRank: 2, Len: 12, Channel: 1,
		RawStd: 1 / math.Sqrt(8), DeltaB: math.Log(math.Expm1(0.1)),
		A:      "S4D-real: A_{d,n} = -(n+1)",
		Tokens: "x_{l,k} ~ N(0, 1)",
		Kinds:  []string{model.ParamPos, model.ParamNeg, model.ParamMixed},
	}
}

// hiddenAttention is P^d (L×L, Z[l][j]) for one parametrization.
type hiddenAttention struct {
	Kind string
	P    [][]float64
}

// hiddenAttentionData draws one raw x_proj weight, W_dt and L tokens with
// the seed, maps the raw weight through each refinement-1 parametrization
// (model.ParametrizeXProj, docs/paper.md §5.1) and returns P^d of the chosen
// channel (mamba.HiddenAttention, docs/paper.md §1.2). The same raw weight and
// tokens serve every parametrization, so the panels differ only in Λ.
func hiddenAttentionData(p hiddenParams, seed uint64) ([]hiddenAttention, error) {
	rng := rand.New(rand.NewPCG(seed, seed))
	D, N, R, L := p.DInner, p.DState, p.DtRank, p.Len
	raw := make([]float64, (R+2*N)*D)
	for i := range raw {
		raw[i] = p.RawStd * rng.NormFloat64()
	}
	wdt := make([]float64, D*R) // (D, R)
	for i := range wdt {
		wdt[i] = p.RawStd * rng.NormFloat64()
	}
	x := make([]float64, L*D) // (L, D)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	a := make([]float64, D*N)
	for d := 0; d < D; d++ {
		for n := 0; n < N; n++ {
			a[d*N+n] = -float64(n + 1)
		}
	}
	bias := make([]float64, D)
	for d := range bias {
		bias[d] = p.DeltaB
	}
	var out []hiddenAttention
	for _, kind := range p.Kinds {
		eff := make([]float64, len(raw))
		if err := model.ParametrizeXProj(kind, R, N, D, raw, eff); err != nil {
			return nil, fmt.Errorf("hidden attention: %w", err)
		}
		args := &mamba.ScanArgs[float64]{
			Batch: 1, Dim: D, Len: L, State: N,
			U: make([]float64, D*L), Delta: make([]float64, D*L), A: a,
			B: make([]float64, N*L), C: make([]float64, N*L), VarB: true, VarC: true,
			DeltaBias: bias, DeltaSoftplus: true,
		}
		for l := 0; l < L; l++ {
			xl := x[l*D : (l+1)*D]
			dtil := make([]float64, R) // δ̃_l = X[Δ rows] x_l
			for r := 0; r < R; r++ {
				dtil[r] = dot(eff[r*D:(r+1)*D], xl)
			}
			for d := 0; d < D; d++ {
				args.U[d*L+l] = xl[d]
				args.Delta[d*L+l] = dot(wdt[d*R:(d+1)*R], dtil)
			}
			for n := 0; n < N; n++ {
				args.B[n*L+l] = dot(eff[(R+n)*D:(R+n+1)*D], xl)
				args.C[n*L+l] = dot(eff[(R+N+n)*D:(R+N+n+1)*D], xl)
			}
		}
		flat, err := mamba.HiddenAttention(args, 0, p.Channel-1)
		if err != nil {
			return nil, fmt.Errorf("hidden attention (%s): %w", kind, err)
		}
		z := make([][]float64, L)
		for l := range z {
			z[l] = flat[l*L : (l+1)*L]
		}
		out = append(out, hiddenAttention{Kind: kind, P: z})
	}
	return out, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// hiddenPanelTitle names a parametrization by the signs of the eigenvalues
// of S_Cᵀ S_B = Uᵀ Λ U.
func hiddenPanelTitle(kind string, n int) string {
	switch kind {
	case model.ParamPos:
		return fmt.Sprintf("positive: %d eigenvalues of S_Cᵀ S_B > 0.7", n)
	case model.ParamNeg:
		return fmt.Sprintf("negative: %d eigenvalues of S_Cᵀ S_B < −0.7", n)
	case model.ParamMixed:
		return fmt.Sprintf("mixed: %d positive, %d negative", n/2, n-n/2)
	}
	return kind
}

func hiddenAttentionArtifact() Artifact {
	return Artifact{
		ID:       "fig-hidden-attention",
		Kind:     KindFigure,
		Title:    "Hidden attention P^d under the refinement-1 parametrizations",
		PaperRef: "claim: the sign of S_Cᵀ S_B sets the sign of each token's self-interaction (§1.2, §5.1)",
		Look:     "the lower-triangular hidden attention P: how each token weighs itself and the earlier ones",
		Notebook: "notebooks/01-selective-scan.ipynb",
		Scale:    "exact layer algebra, CPU (small random S6 layer)",
		Note:     NoteOwnParameters,
		Seed:     20250101,
		Build: func(ctx context.Context, env Env) (*Result, error) {
			p := defaultHiddenParams()
			data, err := hiddenAttentionData(p, env.Seed)
			if err != nil {
				return nil, err
			}
			env.Step(1, 1)
			fig := render.Figure{
				Title:      fmt.Sprintf("Hidden attention P^d of channel d = %d (L = %d, D = %d, N = %d)", p.Channel, p.Len, p.DInner, p.DState),
				PanelWidth: 10, PanelHeight: 9,
			}
			for _, h := range data {
				fig.Panels = append(fig.Panels, render.Panel{
					Title: hiddenPanelTitle(h.Kind, p.DState),
					X:     render.Axis{Label: "source token j"},
					Y:     render.Axis{Label: "target token l"},
					Heat:  &render.Heatmap{Z: h.P, Label: "P^d_lj"},
				})
			}
			return &Result{
				Params: p,
				Caption: "P^d_lj = C_lᵀ exp(A_d Σ_{k=j+1..l} Δ_k) Δ_j B_j of one channel of a random S6 layer whose x_proj goes through " +
					"the positive / negative / mixed parametrizations (same raw weights and tokens); the diagonal " +
					"P^d_ll = Δ_l x_lᵀ S_Cᵀ S_B x_l is ≥ 0, ≤ 0 and of either sign respectively; entries above the diagonal are 0 (causal).",
				Figures: []render.Figure{fig},
			}, nil
		},
	}
}
