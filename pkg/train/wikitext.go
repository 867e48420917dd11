package train

import (
	"fmt"
	"path/filepath"

	"github.com/tokendyn/tokendyn/data/text"
)

// wikiText103Files are the raw WikiText-103 files in dir.
func wikiText103Files(dir string) []string {
	return []string{filepath.Join(dir, "wiki.train.raw"), filepath.Join(dir, "wiki.valid.raw"), filepath.Join(dir, "wiki.test.raw")}
}

// loadWikiText103 reads WikiText-103 from dir.
func loadWikiText103(dir string) (*text.Corpus, error) {
	return nil, fmt.Errorf("the WikiText-103 loader of data/text is not available yet (dir %q)", dir)
}
