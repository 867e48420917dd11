package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/kernels"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// fingerprintChildEnv marks the child process of TestFingerprintSameOnSIMDPaths.
const fingerprintChildEnv = "TOKENDYN_FINGERPRINT_CHILD"

// TestFingerprintChild is run by TestFingerprintSameOnSIMDPaths in a child
// process (the kernel path is fixed per process); alone it does nothing.
func TestFingerprintChild(t *testing.T) {
	if os.Getenv(fingerprintChildEnv) == "" {
		t.Skip("helper of TestFingerprintSameOnSIMDPaths")
	}
	ctx := context.Background()
	l, err := LMNumerics(ctx, lm.Default())
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReorderNumerics(ctx, reorder.Default())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("FINGERPRINT path=%s lm=%s reorder=%s\n", kernels.Path(), l, r)
}

// TestFingerprintSameOnSIMDPaths is README's statement about kernel paths:
// the AVX2 and AVX-512 paths give the experiments the same numerics
// fingerprint (the fingerprints train both experiments' real paths for a
// few steps and hash every output bit), so both reuse the committed results;
// the portable path may differ in the last bits, and then its fingerprint,
// hence its cache key, differs and it trains afresh instead of reusing
// numbers another path made.
func TestFingerprintSameOnSIMDPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the fingerprints three times")
	}
	if os.Getenv(fingerprintChildEnv) != "" {
		t.Skip("child")
	}
	paths := []kernels.ISA{kernels.Purego}
	for _, p := range []kernels.ISA{kernels.AVX2, kernels.AVX512} {
		if p <= kernels.Best() {
			paths = append(paths, p)
		}
	}
	got := map[kernels.ISA]string{}
	for _, p := range paths {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFingerprintChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), fingerprintChildEnv+"=1", kernels.EnvVar+"="+p.String())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child on %v: %v\n%s", p, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "FINGERPRINT ") {
				f := strings.Fields(line)
				if f[1] != "path="+p.String() {
					t.Fatalf("child asked for %v ran %s", p, f[1])
				}
				got[p] = strings.Join(f[2:], " ")
			}
		}
		if got[p] == "" {
			t.Fatalf("child on %v printed no fingerprint:\n%s", p, out)
		}
		t.Logf("%-6v %s", p, got[p])
	}
	if a, ok := got[kernels.AVX2]; ok {
		if b, ok := got[kernels.AVX512]; ok && a != b {
			t.Errorf("AVX2 and AVX-512 paths give different fingerprints:\n avx2   %s\n avx512 %s", a, b)
		}
		if got[kernels.Purego] == a {
			t.Logf("purego matches the SIMD paths bit for bit on this machine")
		}
	} else {
		t.Skip("no SIMD path on this CPU: nothing to compare")
	}
}
