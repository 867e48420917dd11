package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func visionTestConfig(reorder bool) ClassifierConfig {
	c := ClassifierConfig{DModel: 16, NLayer: 3, Features: 5, Classes: 4, DState: 4, DConv: 3, Expand: 2, Mixer: MixerVision}
	if reorder {
		c.ReorderLayers = []int{0, 2}
	}
	return c
}

// MambaVision's _init_weights: linear weights ~ N(0, 0.02²) (sample moments
// over all of them), linear biases exactly 0 (dt_proj's included), the
// depthwise convolutions U(±1/√k), A_log = log(n+1), D = 1, norms 1.
func TestMambaVisionInit(t *testing.T) {
	c, err := NewClassifier[float64](visionTestConfig(true), rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Config().Init != InitMambaVision {
		t.Fatalf("vision mixer default init %q, want %q", c.Config().Init, InitMambaVision)
	}
	var sum, sq float64
	var n int
	for _, p := range c.Params() {
		name := p.Name
		switch {
		case strings.HasSuffix(name, ".bias"):
			for _, v := range p.W {
				if v != 0 {
					t.Fatalf("%s has %v, want 0", name, v)
				}
			}
		case strings.Contains(name, "conv1d"):
			for _, v := range p.W {
				if math.Abs(v) > 1/math.Sqrt(3) {
					t.Fatalf("%s has %v outside ±1/√3", name, v)
				}
			}
		case strings.HasSuffix(name, "A_log"):
			for i, v := range p.W {
				if v != math.Log(float64(i%4+1)) {
					t.Fatalf("%s[%d] = %v", name, i, v)
				}
			}
		case strings.HasSuffix(name, ".D"), strings.Contains(name, "norm"):
			for _, v := range p.W {
				if v != 1 {
					t.Fatalf("%s has %v, want 1", name, v)
				}
			}
		default: // a linear weight
			for _, v := range p.W {
				sum += v
				sq += v * v
				n++
			}
		}
	}
	mean, std := sum/float64(n), math.Sqrt(sq/float64(n))
	// n ≈ 3 700 draws: the sample std is within 5 % of 0.02 with overwhelming probability.
	if math.Abs(mean) > 0.002 || math.Abs(std-0.02) > 0.001 {
		t.Errorf("linear weights: mean %.5f, rms %.5f over %d, want 0 and 0.02", mean, std, n)
	}
}

// Pairing: the weights every arm has are bit-identical with and without
// reordering, and K comes from the reordering stream only.
func TestReorderingLeavesSharedDrawsUnchanged(t *testing.T) {
	for _, init := range []string{InitMamba, InitMambaVision} {
		base := visionTestConfig(false)
		base.Init = init
		re := visionTestConfig(true)
		re.Init = init
		a, err := NewClassifier[float64](base, rand.New(rand.NewPCG(9, 9)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewClassifierStreams[float64](re, rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		b2, err := NewClassifierStreams[float64](re, rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatal(err)
		}
		shared := map[string][]float64{}
		for _, p := range a.Params() {
			shared[p.Name] = p.W
		}
		ks := 0
		for i, p := range b.Params() {
			w, ok := shared[p.Name]
			if !ok {
				if !strings.HasSuffix(p.Name, "imporantness.weight") {
					t.Fatalf("%s: unexpected parameter %s", init, p.Name)
				}
				ks++
				if same(p.W, b2.Params()[i].W) {
					t.Errorf("%s: %s does not depend on the reordering stream", init, p.Name)
				}
				continue
			}
			if !same(w, p.W) {
				t.Errorf("%s: %s differs between the arms", init, p.Name)
			}
		}
		if ks != 2 {
			t.Errorf("%s: %d importance weights, want 2", init, ks)
		}
	}
	if _, err := NewClassifier[float64](ClassifierConfig{DModel: 8, NLayer: 1, Features: 3, Classes: 2, Init: InitMambaVision},
		rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("MambaVision init accepted for the Mamba mixer")
	}
}

func same(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
