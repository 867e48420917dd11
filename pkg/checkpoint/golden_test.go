package checkpoint

import (
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/safetensors"
)

// TestGoldenLossTorch: the LM loaded from an F32 mamba_ssm checkpoint and
// an independent float64 PyTorch implementation (testdata/golden_loss.py,
// a sequential scan from mamba_simple.py's definitions) give the same mean
// next-token loss. Skipped when Debian's python3-torch is not installed.
func TestGoldenLossTorch(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import torch").Run(); err != nil {
		t.Skipf("%s with torch not available (apt-get install python3-torch): %v", python, err)
	}
	m := testLM(t, smallCfg, 11)
	dir := t.TempDir()
	if err := Export(dir, MambaSSM, m, safetensors.F32, 1); err != nil {
		t.Fatal(err)
	}
	ck, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	lm, err := ck.LoadLM()
	if err != nil {
		t.Fatal(err)
	}
	toks := []int32{1, 5, 12, 0, 7, 7, 3, 9, 2, 11, 4, 8, 6, 10, 1, 2, 3}
	want, err := lm.Loss(toks, 1, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(toks))
	for i, v := range toks {
		ids[i] = fmt.Sprint(v)
	}
	out, err := exec.Command(python, "testdata/golden_loss.py", dir, strings.Join(ids, ",")).CombinedOutput()
	if err != nil {
		t.Fatalf("golden_loss.py: %v\n%s", err, out)
	}
	got, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("golden_loss.py printed %q", out)
	}
	if d := math.Abs(got - want); d > 1e-9 {
		t.Errorf("loss: Go %.15g, PyTorch float64 %.15g (|diff| %.3g > 1e-9)", want, got, d)
	}
	t.Logf("loss Go %.15g, PyTorch %.15g, |diff| %.3g", want, got, math.Abs(got-want))
}
