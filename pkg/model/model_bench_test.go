package model

import (
	"fmt"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
)

// BenchmarkLMTrainStep measures one training step (forward, backward into G,
// no optimizer) of a small float32 LM: d_model 64, 2 layers, vocabulary 256,
// batch 8 × 128 tokens. It reports tokens/s (predicted tokens per second).
func BenchmarkLMTrainStep(b *testing.B) {
	for _, bc := range []struct {
		param string
		vocab int
	}{{ParamNone, 256}, {ParamPos, 256}} {
		b.Run(fmt.Sprintf("param=%s/vocab=%d", bc.param, bc.vocab), func(b *testing.B) {
			cfg := LMConfig{DModel: 64, NLayer: 2, Vocab: bc.vocab, Param: bc.param}
			m, err := NewLM[float32](cfg, gradcheck.NewRNG(1))
			if err != nil {
				b.Fatal(err)
			}
			const batch, nl = 8, 128
			tokens := randTokens(gradcheck.NewRNG(2), batch*(nl+1), cfg.Vocab)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.ZeroGrad()
				if _, err := m.Loss(tokens, batch, true, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch*nl)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkLMEval is the forward pass alone (evaluation) of the same model.
func BenchmarkLMEval(b *testing.B) {
	cfg := LMConfig{DModel: 64, NLayer: 2, Vocab: 256}
	m, err := NewLM[float32](cfg, gradcheck.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	const batch, nl = 8, 128
	tokens := randTokens(gradcheck.NewRNG(2), batch*(nl+1), cfg.Vocab)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Loss(tokens, batch, false, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch*nl)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkClassifierTrainStep: vision mixer with reordering in layer 0,
// d_model 64, 2 layers, batch 8 × 64 tokens of 16 features, 10 classes.
func BenchmarkClassifierTrainStep(b *testing.B) {
	cfg := ClassifierConfig{DModel: 64, NLayer: 2, Features: 16, Classes: 10, DState: 8, DConv: 3, Expand: 1,
		Mixer: MixerVision, ReorderLayers: []int{0}}
	c, err := NewClassifier[float32](cfg, gradcheck.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	const batch, nl = 8, 64
	rng := gradcheck.NewRNG(2)
	feat := make([]float32, batch*nl*cfg.Features)
	for i := range feat {
		feat[i] = float32(rng.NormFloat64())
	}
	labels := make([]int32, batch)
	for i := range labels {
		labels[i] = int32(rng.IntN(cfg.Classes))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.ZeroGrad()
		if _, err := c.Loss(feat, labels, batch, true, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch*nl)/b.Elapsed().Seconds(), "tokens/s")
}
