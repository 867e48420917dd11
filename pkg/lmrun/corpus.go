package lmrun

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/data/text"
)

// LoadCorpus reads the corpus cfg names through package data/text, with its
// Source (the files) and Digest (of the cleaned text, CorpusDigest) set:
//
//	gcide        the GCIDE dictionary of Debian's dict-gcide, cleaned to
//	             English prose (ASCII, 96 symbols), split 90/5/5 % by
//	             headword; Dir holds gcide.dict.dz and gcide.index
//	             (default /usr/share/dictd)
//	wikitext103  the paper's WikiText-103 (docs/paper.md §6.1) as raw bytes
//	             (vocabulary 256); Dir holds wiki.{train,valid,test}.tokens
//	             or .raw
func LoadCorpus(cfg DataConfig) (*text.Corpus, error) {
	files, err := corpusFiles(cfg)
	if err != nil {
		return nil, err
	}
	var c *text.Corpus
	switch cfg.Name {
	case "gcide":
		c, err = text.LoadGCIDE(text.GCIDEOptions{Dict: files[0], Index: files[1]})
	case "wikitext103":
		c, err = loadWikiText103(cfg.Dir)
	}
	if err != nil {
		return nil, fmt.Errorf("lmrun: load %s: %w", cfg.Name, err)
	}
	c.Name, c.Source = cfg.Name, strings.Join(files, ", ")
	c.Digest = c.ContentDigest()
	return c, nil
}

// corpusFiles lists the files a corpus is read from.
func corpusFiles(cfg DataConfig) ([]string, error) {
	switch cfg.Name {
	case "gcide":
		if cfg.Dir == "" {
			return []string{text.DefaultGCIDEDict, text.DefaultGCIDEIndex}, nil
		}
		return []string{filepath.Join(cfg.Dir, "gcide.dict.dz"), filepath.Join(cfg.Dir, "gcide.index")}, nil
	case "wikitext103":
		return wikiText103Files(cfg.Dir)
	}
	return nil, fmt.Errorf("lmrun: data %q: want gcide or wikitext103", cfg.Name)
}

// CorpusDigest identifies the corpus cfg names by the bytes its loader
// produces, after cleaning (text.Corpus.ContentDigest): it loads the
// corpus. A change of the cleaning changes it; a change of the files that
// leaves the cleaned text alone does not.
func CorpusDigest(cfg DataConfig) (string, error) {
	c, err := LoadCorpus(cfg)
	if err != nil {
		return "", err
	}
	return c.Digest, nil
}
