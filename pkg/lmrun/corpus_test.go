package lmrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
)

// WikiText-103 from a directory of .raw files (a tiny stand-in): byte
// vocabulary, one token per byte, and a digest that changes with the files.
func TestLoadWikiText103FromDir(t *testing.T) {
	dir := t.TempDir()
	want := map[string]string{
		"train": " = Alpha = \n The first article , with 1 @,@ 000 words .\n",
		"valid": " = Beta = \n Validation text .\n",
		"test":  " = Gamma = \n Test text , café .\n",
	}
	for s, v := range want {
		os.WriteFile(filepath.Join(dir, "wiki."+s+".raw"), []byte(v), 0o644)
	}
	cfg := DataConfig{Name: "wikitext103", Dir: dir, SeqLen: 4}
	c, err := LoadCorpus(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Vocab.Size() != 256 || string(c.Text[text.Train]) != want["train"] || string(c.Text[text.Test]) != want["test"] {
		t.Errorf("corpus %+v", c)
	}
	d0, err := CorpusDigest(cfg)
	if err != nil || d0 != c.Digest || strings.Count(d0, "+") != 2 {
		t.Fatalf("digest %q (%v), corpus digest %q", d0, err, c.Digest)
	}
	os.WriteFile(filepath.Join(dir, "wiki.valid.raw"), []byte(" = Beta = \n Changed .\n"), 0o644)
	if d1, _ := CorpusDigest(cfg); d1 == d0 {
		t.Error("digest did not change with the validation file")
	}
	// .tokens wins over .raw, as in data/text.
	os.WriteFile(filepath.Join(dir, "wiki.train.tokens"), []byte(" = Alpha = \n <unk> .\n"), 0o644)
	if c, err := LoadCorpus(cfg); err != nil || string(c.Text[text.Train]) != " = Alpha = \n <unk> .\n" {
		t.Errorf("train split (%v), want the .tokens file", err)
	}
	os.Remove(filepath.Join(dir, "wiki.test.raw"))
	if _, err := LoadCorpus(cfg); err == nil || !strings.Contains(err.Error(), "test split missing") {
		t.Errorf("missing test split: %v", err)
	}
	if _, err := LoadCorpus(DataConfig{Name: "ptb"}); err == nil {
		t.Error("unknown corpus accepted")
	}
}
