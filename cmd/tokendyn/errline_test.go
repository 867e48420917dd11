package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
)

func TestErrorLineNamesTheDebianPackage(t *testing.T) {
	_, openErr := os.Open("/usr/share/datasets/fashion-mnist/no-such-file.gz")
	if !errors.Is(openErr, fs.ErrNotExist) {
		t.Skipf("unexpected: %v", openErr)
	}
	err := fmt.Errorf("train: reorder: Fashion-MNIST in /usr/share/datasets/fashion-mnist: train: data digest: %w", openErr)
	got := errorLine(err)
	for _, want := range []string{"/usr/share/datasets/fashion-mnist/no-such-file.gz is missing", "dataset-fashion-mnist",
		"apt-get install -y dataset-fashion-mnist"} {
		if !strings.Contains(got, want) {
			t.Errorf("errorLine = %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "train:") || strings.Contains(got, "\n") {
		t.Errorf("errorLine = %q: want one line without the wrapped prefixes", got)
	}
	_, openErr = os.Open("/usr/share/dictd/no-such.dict.dz")
	if got := errorLine(fmt.Errorf("x: %w", openErr)); !strings.Contains(got, "dict-gcide") {
		t.Errorf("GCIDE: errorLine = %q", got)
	}
	// A missing file elsewhere is the error itself, on one line.
	_, openErr = os.Open(t.TempDir() + "/none")
	if got := errorLine(fmt.Errorf("a:\n  b: %w", openErr)); strings.Contains(got, "apt-get") || strings.Contains(got, "\n") {
		t.Errorf("other file: errorLine = %q", got)
	}
}

func TestExitCodeOfAnInterruptedRun(t *testing.T) {
	if got := exitCode(fmt.Errorf("train: %w", interrupted{errors.New("interrupted at step 3")})); got != 130 {
		t.Errorf("interrupted run exits %d, want 130", got)
	}
	if got := exitCode(errors.New("bad config")); got != 1 {
		t.Errorf("failed run exits %d, want 1", got)
	}
}
