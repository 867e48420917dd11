package lmrun

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/data/text"
)

// wikiText103Files are the WikiText-103 files in dir that
// text.LoadWikiText103 reads: per split wiki.<split>.tokens, or
// wiki.<split>.raw when there is no .tokens file.
func wikiText103Files(dir string) ([]string, error) {
	var files []string
	for _, split := range []string{"train", "valid", "test"} {
		tokens := filepath.Join(dir, "wiki."+split+".tokens")
		raw := filepath.Join(dir, "wiki."+split+".raw")
		switch {
		case exists(tokens):
			files = append(files, tokens)
		case exists(raw):
			files = append(files, raw)
		default:
			return nil, fmt.Errorf("lmrun: wikitext103: %s split missing in %q: neither %s nor %s exists (download WikiText-103 and pass --data-dir)", split, dir, tokens, raw)
		}
	}
	return files, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loadWikiText103 reads WikiText-103 from dir as raw bytes.
func loadWikiText103(dir string) (*text.Corpus, error) {
	return text.LoadWikiText103(text.WikiTextOptions{Dir: dir})
}
