package optim

import (
	"math"
	"slices"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/model"
)

func updateParams(g []float64) []*model.Param[float64] {
	p := model.NewParam[float64]("w", false, len(g))
	copy(p.G, g)
	for i := range p.W {
		p.W[i] = 0.5 + float64(i)
	}
	return []*model.Param[float64]{p}
}

// Accumulation: two micro-batches whose gradients sum to 2g update the
// weights exactly as one micro-batch with gradient g; the returned mean is
// the mean loss and the norm is |g| before clipping; clipping leaves the
// gradient at norm clip.
func TestApplyUpdateAveragesAndClips(t *testing.T) {
	g := []float64{3, -4} // |g| = 5
	one, two := updateParams(g), updateParams([]float64{6, -8})
	o1, _ := NewAdamW(one, 0.9, 0.999, 1e-8, 0.1)
	o2, _ := NewAdamW(two, 0.9, 0.999, 1e-8, 0.1)
	m1, n1, err1 := ApplyUpdate(o1, one, []float64{1.5}, 0, 1e-2)
	m2, n2, err2 := ApplyUpdate(o2, two, []float64{1, 2}, 0, 1e-2)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if m1 != 1.5 || m2 != 1.5 || n1 != 5 || n2 != 5 || !slices.Equal(one[0].W, two[0].W) {
		t.Errorf("means %v %v, norms %v %v, weights %v vs %v", m1, m2, n1, n2, one[0].W, two[0].W)
	}
	c := updateParams(g)
	oc, _ := NewAdamW(c, 0.9, 0.999, 1e-8, 0)
	if _, n, err := ApplyUpdate(oc, c, []float64{0}, 2, 1e-2); err != nil || n != 5 || math.Abs(GradNorm(c)-2) > 1e-6 { // clip/(norm + 1e-6), as torch
		t.Errorf("clip 2: norm before %v, after %v, err %v", n, GradNorm(c), err)
	}
}

// A non-finite loss or gradient is an error and leaves the weights as they
// were.
func TestApplyUpdateRejectsNonFinite(t *testing.T) {
	for name, tc := range map[string]struct {
		g      []float64
		losses []float64
	}{
		"nan loss":      {[]float64{1, 1}, []float64{1, math.NaN()}},
		"inf loss":      {[]float64{1, 1}, []float64{math.Inf(1)}},
		"inf gradient":  {[]float64{math.Inf(-1), 1}, []float64{1}},
		"no microbatch": {[]float64{1, 1}, nil},
	} {
		ps := updateParams(tc.g)
		w := slices.Clone(ps[0].W)
		opt, _ := NewAdamW(ps, 0.9, 0.999, 1e-8, 0)
		if _, _, err := ApplyUpdate(opt, ps, tc.losses, 1, 1e-2); err == nil || !slices.Equal(ps[0].W, w) || opt.Step != 0 {
			t.Errorf("%s: err %v, weights %v (were %v), step %d", name, err, ps[0].W, w, opt.Step)
		}
	}
}
