package main

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/idx"
	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

func TestTrainVisionUsageErrors(t *testing.T) {
	for i, args := range [][]string{
		{"--no-such-flag"},
		{"--patches", "5"},
		{"--seeds", "1"},
		{"--seeds", "1,x"},
		{"--seeds", ","},
		{"--seeds", "1,1"},
		{"--train-size", "-5"},
		{"--epochs", "-1"},
		{"--tau", "0"},
		{"--lr", "-1"},
		{"--threads", "-2"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		if code := runTrainVision(args, &out, &errb); code != 2 {
			t.Errorf("%d: %v exited %d, want 2 (stderr %q)", i, args, code, errb.String())
		}
		if errb.Len() == 0 {
			t.Errorf("%d: %v printed no error", i, args)
		}
	}
	var out, errb bytes.Buffer
	if code := runTrainVision([]string{"-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "-inverse-permute") {
		t.Errorf("-h exited %d, usage %q", code, errb.String())
	}
}

// writeFashionLike writes a small synthetic data set under the Fashion-MNIST
// file names: 28×28 images whose class (0..2) is a bright 4×4 patch.
func writeFashionLike(t *testing.T, dir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 1))
	mk := func(n int) (*idx.Images, []uint8) {
		im := &idx.Images{N: n, Rows: 28, Cols: 28, Pixels: make([]byte, n*784)}
		labels := make([]uint8, n)
		for i := 0; i < n; i++ {
			c := i % 3
			labels[i] = uint8(c)
			px := im.Pixels[i*784 : (i+1)*784]
			for k := range px {
				px[k] = byte(rng.IntN(60))
			}
			r0, c0 := 4*(c%3), 4*(c%3)
			for y := 0; y < 4; y++ {
				for x := 0; x < 4; x++ {
					px[(r0+y)*28+c0+x] = 255
				}
			}
		}
		return im, labels
	}
	tr, trl := mk(48)
	te, tel := mk(24)
	for name, b := range map[string][]byte{
		vision.FashionTrainImages: tr.Encode(), vision.FashionTrainLabels: idx.EncodeLabels(trl),
		vision.FashionTestImages: te.Encode(), vision.FashionTestLabels: idx.EncodeLabels(tel),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTrainVisionRuns(t *testing.T) {
	dir := t.TempDir()
	writeFashionLike(t, dir)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	args := []string{"--quick", "--data", dir, "--out", out, "--cache=false", "--seeds", "4,5", "--epochs", "1",
		"--train-size", "0", "--test-size", "0", "--d-model", "8", "--threads", "2", "--reorder-z", "--patches", "7"}
	if code := runTrainVision(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	for _, want := range []string{"baseline", "reorder-tau1", "reorder-hard", "48 of 48 training images", "reorder z true",
		"dt bias added twice", "init mambavision", "groups timm", "reordering improves accuracy"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "reorder-result.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := reorder.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Runs) != 3*2 || !r.Spec.ReorderZ || r.Spec.DModel != 8 || r.Spec.Epochs != 1 || r.Runs[0].L != 16 {
		t.Errorf("result: %d runs, spec %+v", len(r.Runs), r.Spec)
	}
	f, err := os.Open(filepath.Join(out, "reorder-epochs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][1] != "arm" || rows[1][1] != reorder.ArmBaseline || rows[3][1] != reorder.ArmTau1 {
		t.Errorf("csv rows %v, want a header and one row per run", rows)
	}

	// Missing data is a failure (1), not a usage error.
	if code := runTrainVision([]string{"--data", filepath.Join(dir, "none"), "--cache=false", "--out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("missing data: exit %d, want 1", code)
	}
}
