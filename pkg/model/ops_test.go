package model

import (
	"math"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/pkg/mamba"
)

func TestLinearGrad(t *testing.T) {
	for i, test := range []struct {
		m, in, out, ldx int
		bias            bool
	}{
		{m: 5, in: 3, out: 4, ldx: 3, bias: true},
		{m: 7, in: 6, out: 2, ldx: 9, bias: false},
		{m: 1, in: 1, out: 1, ldx: 1, bias: true},
	} {
		rng := gradcheck.NewRNG(uint64(10 + i))
		x := gradcheck.RandVec(rng, test.m*test.ldx, 1)
		w := gradcheck.RandVec(rng, test.out*test.in, 1)
		var b []float64
		if test.bias {
			b = gradcheck.RandVec(rng, test.out, 1)
		}
		r := gradcheck.RandVec(rng, test.m*test.out, 1)
		y := make([]float64, test.m*test.out)
		f := func() float64 {
			linearForward(test.m, test.in, test.out, x, test.ldx, w, b, y, test.out)
			return gradcheck.Dot(r, y)
		}
		// Forward against the definition y_ij = Σ_k x_ik w_jk + b_j.
		f()
		for p := 0; p < test.m; p++ {
			for q := 0; q < test.out; q++ {
				want := 0.0
				if b != nil {
					want = b[q]
				}
				for k := 0; k < test.in; k++ {
					want += x[p*test.ldx+k] * w[q*test.in+k]
				}
				if math.Abs(y[p*test.out+q]-want) > 1e-12 {
					t.Errorf("case %d: y[%d,%d] = %v, want %v", i, p, q, y[p*test.out+q], want)
				}
			}
		}
		gx := make([]float64, len(x))
		gw := make([]float64, len(w))
		var gb []float64
		if b != nil {
			gb = make([]float64, len(b))
		}
		linearBackward(test.m, test.in, test.out, x, test.ldx, w, r, test.out, gw, gb, gx, test.ldx, false)
		idx := []int{}
		for p := 0; p < test.m; p++ {
			for k := 0; k < test.in; k++ {
				idx = append(idx, p*test.ldx+k)
			}
		}
		gradcheck.Check(t, "linear x", x, gx, idx, f)
		gradcheck.Check(t, "linear w", w, gw, nil, f)
		if b != nil {
			gradcheck.Check(t, "linear b", b, gb, nil, f)
		}
	}
}

func TestConv1dForwardMatchesPadded(t *testing.T) {
	// Independent construction: explicitly pad the sequence (left, right)
	// with zeros as PyTorch does, then take the valid cross-correlation.
	for i, test := range []struct {
		nl, k int
		same  bool
	}{
		{nl: 7, k: 4, same: false},
		{nl: 7, k: 4, same: true},
		{nl: 5, k: 3, same: true},
		{nl: 2, k: 4, same: false}, // shorter than the kernel
		{nl: 6, k: 1, same: true},
	} {
		rng := gradcheck.NewRNG(uint64(20 + i))
		nb, nc := 2, 3
		x := gradcheck.RandVec(rng, nb*test.nl*nc, 1)
		w := gradcheck.RandVec(rng, nc*test.k, 1)
		bias := gradcheck.RandVec(rng, nc, 1)
		left := causalLeft(test.k)
		right := 0
		if test.same {
			left = sameLeft(test.k)
			right = test.k - 1 - left
		}
		y := make([]float64, nb*test.nl*nc)
		conv1dForward(nb, test.nl, nc, test.k, left, x, nc, w, bias, y)
		for b := 0; b < nb; b++ {
			for c := 0; c < nc; c++ {
				padded := make([]float64, left+test.nl+right+test.k)
				for l := 0; l < test.nl; l++ {
					padded[left+l] = x[(b*test.nl+l)*nc+c]
				}
				for l := 0; l < test.nl; l++ {
					want := bias[c]
					for k := 0; k < test.k; k++ {
						want += w[c*test.k+k] * padded[l+k]
					}
					if got := y[(b*test.nl+l)*nc+c]; math.Abs(got-want) > 1e-12 {
						t.Errorf("case %d: y[%d,%d,%d] = %v, want %v", i, b, l, c, got, want)
					}
				}
			}
		}
	}
	if sameLeft(4) != 1 || sameLeft(3) != 1 || causalLeft(4) != 3 {
		t.Errorf("padding: same(4)=%d same(3)=%d causal(4)=%d, want 1 1 3", sameLeft(4), sameLeft(3), causalLeft(4))
	}
}

func TestConv1dGrad(t *testing.T) {
	for i, test := range []struct {
		k    int
		same bool
		ldx  int
	}{
		{k: 4, same: false, ldx: 3},
		{k: 4, same: true, ldx: 5},
		{k: 3, same: true, ldx: 3},
	} {
		rng := gradcheck.NewRNG(uint64(30 + i))
		nb, nl, nc := 2, 6, 3
		left := causalLeft(test.k)
		if test.same {
			left = sameLeft(test.k)
		}
		x := gradcheck.RandVec(rng, nb*nl*test.ldx, 1)
		w := gradcheck.RandVec(rng, nc*test.k, 1)
		bias := gradcheck.RandVec(rng, nc, 1)
		r := gradcheck.RandVec(rng, nb*nl*nc, 1)
		y := make([]float64, nb*nl*nc)
		f := func() float64 {
			conv1dForward(nb, nl, nc, test.k, left, x, test.ldx, w, bias, y)
			return gradcheck.Dot(r, y)
		}
		gx := make([]float64, len(x))
		gw := make([]float64, len(w))
		gb := make([]float64, len(bias))
		conv1dBackward(nb, nl, nc, test.k, left, x, test.ldx, w, r, gw, gb, gx, test.ldx)
		gradcheck.Check(t, "conv x", x, gx, nil, f)
		gradcheck.Check(t, "conv w", w, gw, nil, f)
		gradcheck.Check(t, "conv b", bias, gb, nil, f)
	}
}

func TestElementwiseGrad(t *testing.T) {
	rng := gradcheck.NewRNG(40)
	m, n, ld := 4, 5, 7
	x := gradcheck.RandVec(rng, m*ld, 4)
	x[0] = 25 // the large-argument branch of softplus
	r := gradcheck.RandVec(rng, m*n, 1)
	y := make([]float64, m*n)
	fs := func() float64 { siluForward(m, n, x, ld, y); return gradcheck.Dot(r, y) }
	gx := make([]float64, len(x))
	siluBackward(m, n, x, ld, r, gx, ld, false)
	gradcheck.Check(t, "silu", x, gx, nil, fs)

	xs := x[:m*n]
	fp := func() float64 { softplusForward(xs, y); return gradcheck.Dot(r, y) }
	g := make([]float64, m*n)
	softplusBackward(xs, r, g)
	gradcheck.Check(t, "softplus", xs, g, nil, fp)
	for _, v := range []float64{-50, -1, 0, 1, 19.9, 20.1, 50} {
		if got, want := mamba.SoftplusT(v), mamba.Softplus(v); math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Errorf("softplus(%v) = %v, want %v", v, got, want)
		}
		if got, want := siluForward1(v), mamba.SiLU(v); math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Errorf("silu(%v) = %v, want %v", v, got, want)
		}
	}
}

func siluForward1(v float64) float64 {
	y := []float64{0}
	siluForward(1, 1, []float64{v}, 1, y)
	return y[0]
}

func TestRMSNorm(t *testing.T) {
	rng := gradcheck.NewRNG(50)
	m, n := 4, 6
	x := gradcheck.RandVec(rng, m*n, 2)
	w := gradcheck.RandVec(rng, n, 1)
	ones := []float64{1, 1, 1, 1, 1, 1}
	y := make([]float64, m*n)
	rstd := make([]float64, m)
	// With unit weights each row has mean square mean(x²)/(mean(x²)+eps).
	rmsNormForward(m, n, x, ones, y, rstd)
	for i := 0; i < m; i++ {
		var ss, sy float64
		for j := 0; j < n; j++ {
			ss += x[i*n+j] * x[i*n+j]
			sy += y[i*n+j] * y[i*n+j]
		}
		ms := ss / float64(n)
		if want := ms / (ms + rmsNormEps); math.Abs(sy/float64(n)-want) > 1e-12 {
			t.Errorf("row %d: mean square %v, want %v", i, sy/float64(n), want)
		}
	}
	r := gradcheck.RandVec(rng, m*n, 1)
	f := func() float64 { rmsNormForward(m, n, x, w, y, rstd); return gradcheck.Dot(r, y) }
	f()
	gx := make([]float64, len(x))
	gw := make([]float64, len(w))
	rmsNormBackward(m, n, x, w, rstd, r, gw, gx, false)
	gradcheck.Check(t, "rmsnorm x", x, gx, nil, f)
	gradcheck.Check(t, "rmsnorm w", w, gw, nil, f)
}

func TestEmbeddingGrad(t *testing.T) {
	rng := gradcheck.NewRNG(60)
	v, d := 5, 3
	table := gradcheck.RandVec(rng, v*d, 1)
	ids := []int32{0, 4, 2, 4, 1}
	out := make([]float64, len(ids)*d)
	r := gradcheck.RandVec(rng, len(out), 1)
	f := func() float64 {
		if err := embeddingForward(v, d, table, ids, out); err != nil {
			t.Fatal(err)
		}
		return gradcheck.Dot(r, out)
	}
	g := make([]float64, len(table))
	embeddingBackward(d, ids, r, g)
	gradcheck.Check(t, "embedding", table, g, nil, f)
	if err := embeddingForward(v, d, table, []int32{5}, out); err == nil {
		t.Errorf("token 5 with vocabulary 5: no error")
	}
	if err := embeddingForward(v, d, table, []int32{-1}, out); err == nil {
		t.Errorf("token -1: no error")
	}
}

func TestCrossEntropy(t *testing.T) {
	rng := gradcheck.NewRNG(70)
	m, v := 4, 6
	// Uniform logits give log V whatever the targets.
	zero := make([]float64, m*v)
	loss, err := crossEntropy(m, v, zero, []int32{0, 1, 5, 3}, nil)
	if err != nil || math.Abs(loss-math.Log(float64(v))) > 1e-14 {
		t.Errorf("uniform logits: loss %v, err %v, want log %d", loss, err, v)
	}
	logits := gradcheck.RandVec(rng, m*v, 3)
	logits[0] = 800 // log-sum-exp must not overflow
	tg := []int32{2, 0, 5, 1}
	g := make([]float64, m*v)
	if _, err := crossEntropy(m, v, logits, tg, g); err != nil {
		t.Fatal(err)
	}
	f := func() float64 {
		l, err := crossEntropy(m, v, logits, tg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	gradcheck.Check(t, "cross-entropy", logits, g, nil, f)
	if _, err := crossEntropy(m, v, logits, []int32{0, 0, 6, 0}, nil); err == nil {
		t.Errorf("target 6 with 6 classes: no error")
	}
}

func TestMeanPoolGrad(t *testing.T) {
	rng := gradcheck.NewRNG(80)
	nb, nl, nd := 2, 3, 4
	x := gradcheck.RandVec(rng, nb*nl*nd, 1)
	out := make([]float64, nb*nd)
	r := gradcheck.RandVec(rng, nb*nd, 1)
	f := func() float64 { meanPoolForward(nb, nl, nd, x, out); return gradcheck.Dot(r, out) }
	f()
	if want := (x[0] + x[nd] + x[2*nd]) / 3; math.Abs(out[0]-want) > 1e-15 {
		t.Errorf("pool[0,0] = %v, want %v", out[0], want)
	}
	g := make([]float64, len(x))
	meanPoolBackward(nb, nl, nd, r, g)
	gradcheck.Check(t, "mean pool", x, g, nil, f)
}

func TestDropout(t *testing.T) {
	rng := gradcheck.NewRNG(90)
	n := 20000
	x := gradcheck.RandVec(rng, n, 1)
	y := make([]float64, n)
	mask := make([]float64, n)
	p := 0.3
	dropoutForward(p, gradcheck.NewRNG(1), x, y, mask)
	kept := 0
	for i, m := range mask {
		switch m {
		case 0:
		case 1 / (1 - p):
			kept++
		default:
			t.Fatalf("mask[%d] = %v, want 0 or %v", i, m, 1/(1-p))
		}
		if y[i] != x[i]*m {
			t.Fatalf("y[%d] = %v, want x·mask = %v", i, y[i], x[i]*m)
		}
	}
	// Binomial(n, 0.7): sd = √(n·0.21) ≈ 65; 5 sd.
	if frac := float64(kept) / float64(n); math.Abs(frac-(1-p)) > 5*math.Sqrt(p*(1-p)/float64(n)) {
		t.Errorf("kept fraction %v, want about %v", frac, 1-p)
	}
	y2 := make([]float64, n)
	mask2 := make([]float64, n)
	dropoutForward(p, gradcheck.NewRNG(1), x, y2, mask2)
	for i := range y {
		if y[i] != y2[i] {
			t.Fatalf("same seed, different mask at %d", i)
		}
	}
	r := gradcheck.RandVec(rng, n, 1)
	g := make([]float64, n)
	dropoutBackward(mask, r, g)
	xs := x[:50]
	f := func() float64 {
		dropoutForward(p, gradcheck.NewRNG(1), xs, y[:50], mask[:50])
		return gradcheck.Dot(r[:50], y[:50])
	}
	gradcheck.Check(t, "dropout", xs, g[:50], nil, f)
}

func TestLog1pUnit(t *testing.T) {
	// float32 series against math.Log1p on a dense grid of [0, 1].
	var worst float64
	for i := 0; i <= 1<<20; i++ {
		e := float32(float64(i) / (1 << 20))
		got := float64(log1pUnit(e))
		want := math.Log1p(float64(e))
		if want == 0 {
			if got != 0 {
				t.Fatalf("log1p(0) = %v", got)
			}
			continue
		}
		worst = math.Max(worst, math.Abs(got-want)/want)
	}
	if worst > 3e-7 {
		t.Errorf("float32 log1p on [0,1]: worst relative error %.3g, want ≤ 3e-7", worst)
	}
	t.Logf("float32 log1p on [0,1]: worst relative error %.3g", worst)
	if got, want := log1pUnit(0.3), math.Log1p(0.3); got != want {
		t.Errorf("float64 log1p(0.3) = %v, want math.Log1p %v", got, want)
	}
}
