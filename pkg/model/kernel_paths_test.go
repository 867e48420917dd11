package model

import (
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/tokendyn/tokendyn/internal/gradcheck"
	"github.com/tokendyn/tokendyn/internal/kernels"
)

// lmDigest trains a small float32 LM (d_inner 80, not a multiple of 16,
// N = 16, dt_rank 3) for a few plain gradient steps on 1 and 2 workers
// and returns a hash of every loss and final weight bit.
func lmDigest(t *testing.T) string {
	t.Helper()
	h := fnv.New64a()
	for _, workers := range []int{1, 2} {
		cfg := LMConfig{DModel: 40, NLayer: 2, Vocab: 96, Param: ParamPos}
		m, err := NewLM[float32](cfg, gradcheck.NewRNG(3))
		if err != nil {
			t.Fatal(err)
		}
		m.SetWorkers(workers)
		const batch, nl = 4, 70
		tokens := randTokens(gradcheck.NewRNG(4), batch*(nl+1), cfg.Vocab)
		for step := 0; step < 3; step++ {
			m.ZeroGrad()
			loss, err := m.Loss(tokens, batch, true, nil)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%x;", math.Float64bits(loss))
			for _, p := range m.Params() {
				for i, g := range p.G {
					p.W[i] -= 0.05 * g
				}
			}
		}
		for _, p := range m.Params() {
			for _, w := range p.W {
				fmt.Fprintf(h, "%x,", math.Float32bits(w))
			}
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// TestLMBitsSameOnEveryKernelPath checks that training gives the same bits
// on the AVX2 and the AVX-512 kernel paths: it reruns itself with
// TOKENDYN_KERNELS set to each assembly path the CPU supports and compares
// the digests of losses and weights.
func TestLMBitsSameOnEveryKernelPath(t *testing.T) {
	if os.Getenv("TOKENDYN_TEST_DIGEST") == "1" {
		fmt.Printf("digest=%s\n", lmDigest(t))
		return
	}
	if kernels.Best() < kernels.AVX512 {
		t.Skip("needs a CPU with both the AVX2 and the AVX-512 path")
	}
	re := regexp.MustCompile(`digest=([0-9a-f]{16})`)
	digests := map[string]string{}
	for _, path := range []kernels.ISA{kernels.AVX2, kernels.AVX512} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLMBitsSameOnEveryKernelPath$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TOKENDYN_TEST_DIGEST=1", kernels.EnvVar+"="+path.String())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, out)
		}
		mm := re.FindSubmatch(out)
		if mm == nil {
			t.Fatalf("%s: no digest in\n%s", path, out)
		}
		digests[path.String()] = string(mm[1])
	}
	if digests["avx2"] != digests["avx512"] {
		t.Fatalf("training bits differ between kernel paths: %v", digests)
	}
}
