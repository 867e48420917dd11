package text

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const wikiFixture = "testdata/wikitext-mini"

func TestLoadWikiText103Fixture(t *testing.T) {
	c, err := LoadWikiText103(WikiTextOptions{Dir: wikiFixture})
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range []int{3, 1, 1} {
		raw, _ := os.ReadFile(filepath.Join(wikiFixture, "wiki."+Split(s).String()+".tokens"))
		if !bytes.Equal(c.Text[s], raw) {
			t.Errorf("%s: text differs from the file", Split(s))
		}
		if c.Docs[s] != want {
			t.Errorf("%s: %d articles, want %d", Split(s), c.Docs[s], want)
		}
		ids, err := c.Tokens(Split(s))
		if err != nil || !bytes.Equal(ids, raw) {
			t.Errorf("%s: byte tokens are not the bytes (%v)", Split(s), err)
		}
	}
	if c.Vocab.Size() != 256 || !bytes.Contains(c.Text[Train], []byte(" @-@ ")) || !bytes.Contains(c.Text[Train], []byte("Δ")) {
		t.Error("escapes or UTF-8 not kept as released")
	}
	// A cap keeps a prefix of whole lines.
	small, err := LoadWikiText103(WikiTextOptions{Dir: wikiFixture, MaxTrainBytes: 300, MaxEvalBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	for s, limit := range []int{300, 100, 100} {
		got := small.Text[s]
		if len(got) > limit || !bytes.HasPrefix(c.Text[s], got) || got[len(got)-1] != '\n' {
			t.Errorf("%s capped at %d: %d bytes %q", Split(s), limit, len(got), got)
		}
		if next := c.Text[s][len(got):]; len(next) > 0 && len(got)+bytes.IndexByte(next, '\n')+1 <= limit {
			t.Errorf("%s: the cap dropped a line that fits", Split(s))
		}
	}
}

func TestLoadWikiText103Errors(t *testing.T) {
	copyFixture := func(t *testing.T) string {
		dir := t.TempDir()
		for _, s := range []string{"train", "valid", "test"} {
			b, _ := os.ReadFile(filepath.Join(wikiFixture, "wiki."+s+".tokens"))
			os.WriteFile(filepath.Join(dir, "wiki."+s+".tokens"), b, 0o644)
		}
		return dir
	}
	missing := copyFixture(t)
	os.Remove(filepath.Join(missing, "wiki.valid.tokens"))
	latin1 := copyFixture(t)
	os.WriteFile(filepath.Join(latin1, "wiki.test.tokens"), []byte(" = Caf\xe9 = \n \n"), 0o644)
	empty := copyFixture(t)
	os.WriteFile(filepath.Join(empty, "wiki.train.tokens"), nil, 0o644)
	for i, test := range []struct {
		dir  string
		want string
	}{
		{missing, "valid split missing: neither " + filepath.Join(missing, "wiki.valid.tokens")},
		{latin1, filepath.Join(latin1, "wiki.test.tokens") + ": not valid UTF-8 at byte 6 (line 1)"},
		{empty, "wiki.train.tokens: empty file"},
		{t.TempDir(), "train split missing"},
	} {
		if _, err := LoadWikiText103(WikiTextOptions{Dir: test.dir}); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want %q", i, err, test.want)
		}
	}
	// The raw release (.raw files) is read when .tokens is absent.
	raw := t.TempDir()
	for _, s := range []string{"train", "valid", "test"} {
		b, _ := os.ReadFile(filepath.Join(wikiFixture, "wiki."+s+".tokens"))
		os.WriteFile(filepath.Join(raw, "wiki."+s+".raw"), b, 0o644)
	}
	if c, err := LoadWikiText103(WikiTextOptions{Dir: raw}); err != nil || c.Docs[Train] != 3 {
		t.Errorf("raw release: %v", err)
	}
}

// With TOKENDYN_WIKITEXT103 pointing at the real files (wikitext-103 of
// Merity et al.), check the article counts of the release: 28 475 training,
// 60 validation and 60 test articles.
func TestLoadWikiText103Real(t *testing.T) {
	dir := os.Getenv("TOKENDYN_WIKITEXT103")
	if dir == "" {
		t.Skip("set TOKENDYN_WIKITEXT103 to a directory holding wiki.{train,valid,test}.tokens to test the real files")
	}
	start := time.Now()
	c, err := LoadWikiText103(WikiTextOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded in %v: %v", time.Since(start).Round(time.Millisecond), c.Stats())
	if c.Docs != [3]int{28475, 60, 60} {
		t.Errorf("articles %v, want [28475 60 60]", c.Docs)
	}
}
