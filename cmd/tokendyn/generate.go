package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
)

const generateHelp = `Usage: tokendyn generate --model DIR --prompt TEXT [--n 200] [--temperature T] [--top-k K] [--seed S]

Samples N bytes from a checkpoint written by tokendyn train, continuing the prompt, with the
recurrent step of the model (O(1) work per token: the causal-convolution and SSM states of every
layer carry the prefix). Temperature 0 is greedy decoding; --top-k K keeps the K most likely
tokens (0: all). The same seed gives the same text. Prints the prompt followed by the sample.`

// runGenerate implements `tokendyn generate`.
func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("generate", stderr, generateHelp)
	dir := fs.String("model", "", "checkpoint `DIR` written by tokendyn train")
	prompt := fs.String("prompt", "", "the `TEXT` to continue (at least one byte of the checkpoint's vocabulary)")
	n := fs.Int("n", 200, "bytes to sample")
	temp := fs.Float64("temperature", 1, "softmax temperature (0: greedy)")
	topK := fs.Int("top-k", 0, "sample among the K most likely tokens (0: all)")
	seed := fs.Uint64("seed", 1, "seed of the sampler")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *dir == "" || *prompt == "" || fs.NArg() > 0 || *n < 0 || *topK < 0 || !(*temp >= 0) || math.IsInf(*temp, 0) {
		fmt.Fprintln(stderr, "tokendyn generate: --model DIR and a non-empty --prompt are required; --n, --top-k >= 0; --temperature finite and >= 0")
		fs.Usage()
		return 2
	}
	if err := generate(*dir, *prompt, *n, *temp, *topK, *seed, stdout); err != nil {
		fmt.Fprintf(stderr, "tokendyn generate: %v\n", err)
		return 1
	}
	return 0
}

func generate(dir, prompt string, n int, temp float64, topK int, seed uint64, stdout io.Writer) error {
	ck, err := checkpoint.Open(dir)
	if err != nil {
		return err
	}
	defer ck.Close()
	vocab, err := ck.Config.ByteVocab()
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	ids, err := vocab.Encode([]byte(prompt))
	if err != nil {
		return fmt.Errorf("prompt: %w", err)
	}
	m, err := ck.LoadLM()
	if err != nil {
		return err
	}
	st := m.NewState()
	logits := make([]float64, ck.Config.Vocab)
	for _, id := range ids {
		if err := m.Step(st, int32(id), logits, nil); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	out := []byte(prompt)
	for i := 0; i < n; i++ {
		id := sampleToken(logits, temp, topK, rng)
		out = append(out, vocab.Symbol(byte(id)))
		if i+1 < n {
			if err := m.Step(st, int32(id), logits, nil); err != nil {
				return err
			}
		}
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

// sampleToken draws a token from softmax(logits/temp) restricted to the topK
// largest logits (all when topK is 0 or ≥ len(logits)); temp 0 returns the
// argmax (the lowest index among ties).
func sampleToken(logits []float64, temp float64, topK int, rng *rand.Rand) int {
	idx := make([]int, len(logits))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(logits[b], logits[a]) })
	if temp == 0 {
		return idx[0]
	}
	if topK > 0 && topK < len(idx) {
		idx = idx[:topK]
	}
	w := make([]float64, len(idx))
	top, total := logits[idx[0]], 0.0
	for i, j := range idx {
		w[i] = math.Exp((logits[j] - top) / temp)
		total += w[i]
	}
	u := rng.Float64() * total
	for i, j := range idx {
		u -= w[i]
		if u < 0 {
			return j
		}
	}
	return idx[len(idx)-1]
}
