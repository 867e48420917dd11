package text

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"
)

// WikiTextOptions configures LoadWikiText103.
type WikiTextOptions struct {
	// Dir holds wiki.train.tokens, wiki.valid.tokens and wiki.test.tokens
	// (the word-level release, with <unk>) or wiki.{train,valid,test}.raw
	// (the raw release); .tokens is preferred when both are present.
	Dir string
	// MaxTrainBytes and MaxEvalBytes, when positive, cap the training and
	// the validation/test texts: each file is read up to the cap and cut
	// after its last complete line, so the result is a prefix of the file.
	MaxTrainBytes, MaxEvalBytes int
}

// LoadWikiText103 reads WikiText-103 (Merity et al. 2016), the paper's
// language-modelling data set, as raw bytes with the 256-symbol ByteVocab.
// The text is kept exactly as released: one paragraph per line with a
// leading space, headings as " = Title = " (articles) and " = = Section = = ",
// empty lines as " ", and the tokenizer's escapes "@-@", "@,@", "@.@"
// (hyphen, thousands separator and decimal point split from their
// neighbours) and, in the .tokens release, "<unk>" for rare words. Docs
// counts the articles (level-1 headings) of each split. Every file must be
// valid UTF-8; a missing, empty or non-UTF-8 file is an error naming it.
func LoadWikiText103(opt WikiTextOptions) (*Corpus, error) {
	c := &Corpus{Name: "wikitext-103", Vocab: ByteVocab()}
	for s := Train; s <= Test; s++ {
		limit := opt.MaxEvalBytes
		if s == Train {
			limit = opt.MaxTrainBytes
		}
		path, err := wikiTextPath(opt.Dir, s)
		if err != nil {
			return nil, err
		}
		b, err := readLines(path, limit)
		if err != nil {
			return nil, fmt.Errorf("text: wikitext-103: %w", err)
		}
		if off := firstInvalidUTF8(b); off >= 0 {
			line := bytes.Count(b[:off], []byte{'\n'}) + 1
			return nil, fmt.Errorf("text: wikitext-103: %s: not valid UTF-8 at byte %d (line %d)", path, off, line)
		}
		c.Text[s] = b
		c.Docs[s] = countArticles(b)
	}
	return c, nil
}

// wikiTextPath finds the file of split s in dir.
func wikiTextPath(dir string, s Split) (string, error) {
	tokens := filepath.Join(dir, "wiki."+s.String()+".tokens")
	raw := filepath.Join(dir, "wiki."+s.String()+".raw")
	for _, p := range []string{tokens, raw} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("text: wikitext-103: %w", err)
		}
	}
	return "", fmt.Errorf("text: wikitext-103: %s split missing: neither %s nor %s exists", s, tokens, raw)
}

// readLines reads path, or when limit > 0 its first limit bytes cut after
// the last newline. An empty result is an error.
func readLines(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b []byte
	if limit > 0 {
		b = make([]byte, limit)
		n, err := io.ReadFull(f, b)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		b = b[:n]
		if n == limit {
			more := make([]byte, 1)
			if k, _ := f.Read(more); k == 1 {
				// The file goes on: keep whole lines only.
				i := bytes.LastIndexByte(b, '\n')
				if i < 0 {
					return nil, fmt.Errorf("%s: no line break in the first %d bytes", path, limit)
				}
				b = b[:i+1]
			}
		}
	} else if b, err = io.ReadAll(f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	return b, nil
}

// firstInvalidUTF8 returns the offset of the first invalid UTF-8 sequence,
// or -1.
func firstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// countArticles counts the level-1 heading lines " = Title = ".
func countArticles(b []byte) int {
	n := 0
	for line := range bytes.Lines(b) {
		line = bytes.TrimRight(line, "\n")
		if len(line) >= 5 && bytes.HasPrefix(line, []byte(" = ")) && bytes.HasSuffix(line, []byte(" = ")) && line[3] != '=' && line[len(line)-4] != '=' {
			n++
		}
	}
	return n
}
