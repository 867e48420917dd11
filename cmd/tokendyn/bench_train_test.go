package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestBenchTrainLastLine(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"bench", "train", "--d-model", "8", "--layers", "1", "--seq", "16", "--batch", "2", "--steps", "2", "--reps", "2"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	m := regexp.MustCompile(`^tokens_per_s=([0-9]+\.[0-9])$`).FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line %q, want tokens_per_s=<value>", lines[len(lines)-1])
	}
	if v, err := strconv.ParseFloat(m[1], 64); err != nil || !(v > 0) {
		t.Errorf("tokens_per_s %q is not a positive number", m[1])
	}
	// 2 updates × 2 sequences × 16 tokens per repetition.
	if !strings.Contains(out.String(), "rep 2: 64 tokens") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestBenchTrainBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--d-model", "0"}, {"--steps", "-1"}, {"--threads", "0"}, {"--param", "up"}, {"--seq", "x"},
		{"--d-model", "4096", "--seq", "4096", "--batch", "64"}, {"extra"}, {"--bogus"},
	} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"bench", "train"}, args...), &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
