package figures

import (
	"context"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
	"gonum.org/v1/gonum/floats/scalar"
)

func TestHiddenAttentionData(t *testing.T) {
	p := defaultHiddenParams()
	data, err := hiddenAttentionData(p, hiddenAttentionArtifact().Seed)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string][][]float64{}
	for _, h := range data {
		byKind[h.Kind] = h.P
		if len(h.P) != p.Len {
			t.Fatalf("%s: %d rows, want L = %d", h.Kind, len(h.P), p.Len)
		}
		// Causality (docs/paper.md §1.2): P^d_lj = 0 for j > l.
		for l := range h.P {
			for j := l + 1; j < p.Len; j++ {
				if h.P[l][j] != 0 {
					t.Errorf("%s: P[%d][%d] = %v above the diagonal, want 0", h.Kind, l, j, h.P[l][j])
				}
			}
		}
	}
	// The diagonal P^d_ll = Δ_l x_lᵀ S_Cᵀ S_B x_l has the sign of the
	// quadratic form: ≥ 0 for pos, ≤ 0 for neg, both signs for mixed.
	var mixedPos, mixedNeg bool
	for l := 0; l < p.Len; l++ {
		if v := byKind[model.ParamPos][l][l]; !(v > 0) {
			t.Errorf("pos: diagonal P[%d][%d] = %v, want > 0", l, l, v)
		}
		if v := byKind[model.ParamNeg][l][l]; !(v < 0) {
			t.Errorf("neg: diagonal P[%d][%d] = %v, want < 0", l, l, v)
		}
		mixedPos = mixedPos || byKind[model.ParamMixed][l][l] > 0
		mixedNeg = mixedNeg || byKind[model.ParamMixed][l][l] < 0
	}
	if !mixedPos || !mixedNeg {
		t.Errorf("mixed: diagonal has positive entries %v, negative entries %v; want both", mixedPos, mixedNeg)
	}
	// pos and neg share the raw weights and differ only in the sign of Λ, so
	// S_B flips sign and Δ does not: P_neg = −P_pos exactly.
	for l := range byKind[model.ParamPos] {
		for j := range byKind[model.ParamPos][l] {
			if a, b := byKind[model.ParamPos][l][j], byKind[model.ParamNeg][l][j]; a != -b {
				t.Errorf("P_pos[%d][%d] = %v, P_neg = %v, want opposite", l, j, a, b)
			}
		}
	}
	// Regression values for the registry's seed (computed once with this code).
	const tol = 1e-12
	for i, test := range []struct {
		kind   string
		l, j   int
		golden float64
	}{
		{model.ParamPos, 0, 0, 0.3737518258409962},
		{model.ParamPos, 4, 4, 2.2523511022757838},
		{model.ParamPos, 11, 2, 0.30093206721580279},
		{model.ParamMixed, 0, 0, -0.032185239880475149},
		{model.ParamMixed, 11, 2, 0.11586200326378641},
	} {
		if got := byKind[test.kind][test.l][test.j]; !scalar.EqualWithinAbsOrRel(got, test.golden, tol, tol) {
			t.Errorf("test %d: %s P[%d][%d] = %.17g, want %.17g", i, test.kind, test.l, test.j, got, test.golden)
		}
	}
}

// The figure numbers the channel from 1, as the paper does: the first
// channel is d = 1 in the title and the sidecar, and it is the one drawn
// (the regression values above are those of the kernel's channel index 0).
func TestHiddenAttentionChannelFromOne(t *testing.T) {
	a := hiddenAttentionArtifact()
	res, err := a.Build(context.Background(), testEnv(true, a.Seed))
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Params.(hiddenParams); p.Channel != 1 {
		t.Errorf("sidecar channel %d, want 1 (the first, numbered from 1)", p.Channel)
	}
	title := res.Figures[0].Title
	if !strings.Contains(title, "channel d = 1 ") || strings.Contains(title, "d = 0") {
		t.Errorf("title %q, want channel d = 1", title)
	}
}
