package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

func TestTrainUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte(`{"model": {"d_modle": 3}}`), 0o644)
	for i, args := range [][]string{
		{"--bogus"},
		{"--steps", "many"},
		{"--param", "sideways"},
		{"--preset", "huge"},
		{"--data", "imagenet"},
		{"--seed", "-1"},
		{"--lr", "-1"},
		{"--d-model", "0"},
		{"--resume", dir, "--lr", "0.1"},
		{"extra-argument"},
	} {
		var out, errb bytes.Buffer
		if code := runTrain(args, &out, &errb); code != 2 {
			t.Errorf("case %d %v: exit %d, want 2 (stderr %q)", i, args, code, errb.String())
		}
		if !strings.Contains(errb.String(), "Usage:") {
			t.Errorf("case %d %v: no usage on stderr", i, args)
		}
	}
	// A bad or missing --config file is a bad input: exit 1, one line.
	for _, p := range []string{badJSON, filepath.Join(dir, "missing.json")} {
		var errb bytes.Buffer
		if code := runTrain([]string{"--config", p}, &bytes.Buffer{}, &errb); code != 1 || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("--config %s: exit %d, stderr %q; want 1 and one line", p, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := runTrain([]string{"--resume", filepath.Join(dir, "nothing")}, &out, &errb); code != 1 {
		t.Errorf("--resume of a missing checkpoint: exit %d, want 1", code)
	}
}

// `tokendyn train vision` reaches the classifier of refinement 2.
func TestTrainDispatchesVision(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"train", "vision", "-h"}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "train vision") {
		t.Errorf("train vision -h: exit %d, stderr %q", code, errb.String())
	}
}

// Precedence: preset < config file < flags.
func TestTrainConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.json")
	os.WriteFile(path, []byte(`{"model": {"d_model": 40, "n_layer": 3}, "train": {"lr": 0.01}}`), 0o644)
	var out, errb bytes.Buffer
	code := runTrain([]string{"--preset", "tiny", "--config", path, "--d-model", "24", "--param", "neg", "--print-config"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var c lmrun.Config
	if err := json.Unmarshal(out.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	tiny, _ := lmrun.Preset("tiny")
	if c.Model.DModel != 24 || c.Model.NLayer != 3 || c.Train.LR != 0.01 || c.Model.Param != "neg" || c.Train.Steps != tiny.Train.Steps {
		t.Errorf("resolved config %+v", c)
	}
}

// writeWikiTextStandIn writes a small WikiText-103-shaped corpus into dir.
func writeWikiTextStandIn(t *testing.T, dir string) {
	t.Helper()
	for i, split := range []string{"train", "valid", "test"} {
		var b strings.Builder
		for k := 0; k < []int{600, 80, 80}[i]; k++ {
			fmt.Fprintf(&b, " = Article %d = \n The %s text number %d , with words and more words .\n", k%9, split, k%13)
		}
		if err := os.WriteFile(filepath.Join(dir, "wiki."+split+".raw"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A tiny run end to end: evaluation lines, result.json, checkpoint; then
// --resume of the finished run reproduces the same final numbers.
func TestTrainTinyRunAndResume(t *testing.T) {
	data := t.TempDir()
	writeWikiTextStandIn(t, data)
	dir := filepath.Join(t.TempDir(), "run")
	var out, errb bytes.Buffer
	args := []string{"--preset", "tiny", "--data", "wikitext103", "--data-dir", data, "--steps", "20", "--eval-every", "10", "--out", dir}
	if code := runTrain(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"256 token ids", "step 10/20", "step 20/20", "final: valid ppl", "layer 0: mu = S_C^T S_B has 4 positive and 0 negative"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "result.json")); err != nil {
		t.Errorf("missing result.json: %v", err)
	}
	if _, _, err := checkpoint.TrainingFiles(dir); err != nil {
		t.Errorf("no published checkpoint: %v", err)
	}
	// Another run into the same directory is refused (exit 1, one line)
	// unless --force; the checkpoint is kept.
	var e2 bytes.Buffer
	if code := runTrain(args, &bytes.Buffer{}, &e2); code != 1 || !strings.Contains(e2.String(), "--force") || strings.Count(strings.TrimSpace(e2.String()), "\n") != 0 {
		t.Errorf("second run into %s: exit %d, %q", dir, code, e2.String())
	}
	first, _ := os.ReadFile(filepath.Join(dir, "result.json"))
	var out2 bytes.Buffer
	if code := runTrain([]string{"--resume", dir}, &out2, &errb); code != 0 {
		t.Fatalf("resume exit %d: %s", code, errb.String())
	}
	second, _ := os.ReadFile(filepath.Join(dir, "result.json"))
	var a, b lmrun.Result
	json.Unmarshal(first, &a)
	json.Unmarshal(second, &b)
	if a.Valid != b.Valid || a.Test != b.Test || len(a.Curve) != len(b.Curve) {
		t.Errorf("resumed finished run differs: %+v vs %+v", a.Valid, b.Valid)
	}
}

// The default corpus, GCIDE from Debian's dict-gcide, when it is installed.
func TestTrainOnGCIDE(t *testing.T) {
	if _, err := os.Stat(text.DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	var out, errb bytes.Buffer
	if code := runTrain([]string{"--preset", "tiny", "--steps", "5", "--out", t.TempDir()}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "corpus gcide") || !strings.Contains(out.String(), "96 token ids") {
		t.Errorf("output:\n%s", out.String())
	}
}

// Bad configurations and sizes are refused before training, in one line:
// the JSON decoding is strict, and huge sizes and thread counts are failures
// (exit 1), not an out-of-memory crash.
func TestTrainRefusesBadConfigAndSizes(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		`{"model":{"d_model":8}} trailing`:    "trailing",
		`{"model":{"d_model":8,"d_model":9}}`: "model.d_model appears twice",
		`null`:                                "null",
		`{"model":{"d_model":null}}`:          "model.d_model: null",
		`{"model":{"d_model":"8"}}`:           "model.d_model",
		`{"model":{"dmodel":8}}`:              "unknown key model.dmodel",
		`{"train":{"LR":0.1}}`:                "unknown key train.LR",
		`{"data":{"seq_len":[1]}}`:            "data.seq_len",
	}
	for body, want := range cases {
		p := filepath.Join(dir, "c.json")
		os.WriteFile(p, []byte(body), 0o644)
		var errb bytes.Buffer
		code := runTrain([]string{"--config", p, "--print-config"}, &bytes.Buffer{}, &errb)
		first, rest, _ := strings.Cut(errb.String(), "\n")
		if code != 1 || rest != "" || !strings.Contains(first, want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and one line with %q", body, code, errb.String(), want)
		}
	}
	// checkpoint_dir in the file is honoured (and --out wins over it).
	p := filepath.Join(dir, "c.json")
	os.WriteFile(p, []byte(`{"train":{"checkpoint_dir":"from-json"}}`), 0o644)
	var out bytes.Buffer
	if code := runTrain([]string{"--config", p, "--print-config"}, &out, &bytes.Buffer{}); code != 0 || !strings.Contains(out.String(), `"checkpoint_dir": "from-json"`) {
		t.Errorf("checkpoint_dir not honoured: %s", out.String())
	}
	for _, args := range [][]string{
		{"--preset", "tiny", "--d-model", "1000000", "--batch", "100000", "--out", filepath.Join(dir, "big")},
		{"--preset", "tiny", "--threads", "100000", "--out", filepath.Join(dir, "threads")},
		{"--preset", "tiny", "--memory", "1K", "--out", filepath.Join(dir, "mem")},
	} {
		var errb bytes.Buffer
		code := runTrain(args, &bytes.Buffer{}, &errb)
		if code != 1 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
			t.Errorf("%v: exit %d, %q; want 1 and one line", args, code, errb.String())
		}
	}
	// An unwritable --out is found before training.
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	var errb bytes.Buffer
	if code := runTrain([]string{"--preset", "tiny", "--out", filepath.Join(file, "sub")}, &bytes.Buffer{}, &errb); code != 1 {
		t.Errorf("--out under a file: exit %d, %q", code, errb.String())
	}
}
