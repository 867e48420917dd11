package train

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/data/text"
)

// Corpus is a byte-level corpus as token ids (one per byte) split into
// training, validation and test streams. Vocab is the number of token ids
// (96 for the cleaned GCIDE text, 256 for raw bytes). Digest identifies the
// source files ("size:sha256" of each, joined by '+') for the experiment
// cache; Source says where it came from.
type Corpus struct {
	Name               string
	Vocab              int
	Train, Valid, Test []byte
	Digest             string
	Source             string
}

// LoadCorpus reads the corpus cfg names through package data/text:
//
//	gcide        the GCIDE dictionary of Debian's dict-gcide, cleaned to
//	             English prose (ASCII, 96 symbols), split 90/5/5 % by
//	             headword; Dir holds gcide.dict.dz and gcide.index
//	             (default /usr/share/dictd)
//	wikitext103  the paper's WikiText-103 (reconstruction §6.1) as raw bytes;
//	             Dir holds its files
func LoadCorpus(cfg DataConfig) (*Corpus, error) {
	var (
		c     *text.Corpus
		files []string
		err   error
	)
	switch cfg.Name {
	case "gcide":
		opt := text.GCIDEOptions{}
		if cfg.Dir != "" {
			opt.Dict, opt.Index = filepath.Join(cfg.Dir, "gcide.dict.dz"), filepath.Join(cfg.Dir, "gcide.index")
		}
		files = []string{opt.Dict, opt.Index}
		if cfg.Dir == "" {
			files = []string{text.DefaultGCIDEDict, text.DefaultGCIDEIndex}
		}
		c, err = text.LoadGCIDE(opt)
	case "wikitext103":
		c, files, err = loadWikiText103(cfg.Dir)
	default:
		return nil, fmt.Errorf("train: data %q: want gcide or wikitext103", cfg.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("train: load %s: %w", cfg.Name, err)
	}
	out := &Corpus{Name: cfg.Name, Vocab: c.Vocab.Size(), Source: strings.Join(files, ", ")}
	for s, dst := range []*[]byte{&out.Train, &out.Valid, &out.Test} {
		if *dst, err = c.Tokens(text.Split(s)); err != nil {
			return nil, fmt.Errorf("train: load %s: %w", cfg.Name, err)
		}
	}
	var digests []string
	for _, f := range files {
		d, err := FileDigest(f)
		if err != nil {
			return nil, err
		}
		digests = append(digests, d)
	}
	out.Digest = strings.Join(digests, "+")
	return out, nil
}
