package text

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Split names one part of a corpus.
type Split int

// The three splits of a corpus.
const (
	Train Split = iota
	Valid
	Test
)

func (s Split) String() string {
	switch s {
	case Train:
		return "train"
	case Valid:
		return "valid"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// Corpus is a text corpus cut into three disjoint splits, with the byte
// vocabulary its models use: the one corpus type of the repository (the LM
// trainer reads its token ids through Tokens).
type Corpus struct {
	Name  string    // "gcide", "wikitext-103", or a synthetic corpus's name
	Text  [3][]byte // raw text of Train, Valid, Test
	Docs  [3]int    // entries (gcide) or lines (WikiText) per split
	Vocab *Vocab
	// Source names the files it was read from and Digest identifies them
	// ("size:sha256" of each, '+'-joined), for the experiment cache; both
	// are set by whoever knows the files (pkg/train.LoadCorpus).
	Source, Digest string
}

// FromTokens is the corpus whose splits are the given token ids over a
// vocabulary of n ids (the bytes 0..n−1 standing for themselves): the
// synthetic corpora of the tests and of the numerics fingerprints. The
// slices are used, not copied.
func FromTokens(name string, n int, train, valid, test []byte) (*Corpus, error) {
	sym := make([]byte, n)
	for i := range sym {
		sym[i] = byte(i)
	}
	v, err := NewVocab(sym)
	if err != nil {
		return nil, err
	}
	c := &Corpus{Name: name, Text: [3][]byte{train, valid, test}, Vocab: v, Digest: name}
	for s := range c.Text {
		for _, b := range c.Text[s] {
			if int(b) >= n {
				return nil, fmt.Errorf("text: %s %s split: token id %d outside the vocabulary of %d", name, Split(s), b, n)
			}
		}
	}
	return c, nil
}

// Tokens returns the token ids of a split (one per byte).
func (c *Corpus) Tokens(s Split) ([]byte, error) {
	ids, err := c.Vocab.Encode(c.Text[s])
	if err != nil {
		return nil, fmt.Errorf("text: %s %s split: %w", c.Name, s, err)
	}
	return ids, nil
}

// Stats summarizes a corpus.
type Stats struct {
	Name      string
	Bytes     [3]int // per split
	Docs      [3]int // per split
	VocabSize int    // ids of the vocabulary
	Distinct  int    // distinct bytes that occur in the three splits
}

// Stats returns the sizes of c.
func (c *Corpus) Stats() Stats {
	st := Stats{Name: c.Name, Docs: c.Docs, VocabSize: c.Vocab.Size()}
	var seen [256]bool
	for s, t := range c.Text {
		st.Bytes[s] = len(t)
		for _, b := range t {
			seen[b] = true
		}
	}
	for _, v := range seen {
		if v {
			st.Distinct++
		}
	}
	return st
}

func (st Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: vocab %d (%d distinct bytes)", st.Name, st.VocabSize, st.Distinct)
	for s := Train; s <= Test; s++ {
		fmt.Fprintf(&b, "; %s %d bytes in %d docs", s, st.Bytes[s], st.Docs[s])
	}
	return b.String()
}

// ContentDigest identifies the corpus by what its loader produced: the
// vocabulary's symbols and the three splits' bytes after cleaning, as
// "V ids, TRAIN+VALID+TEST bytes:sha256". Unlike a digest of the source
// files, it changes when the cleaning changes (the experiments' cache keys
// use it).
func (c *Corpus) ContentDigest() string {
	h := sha256.New()
	var b [8]byte
	sym := make([]byte, c.Vocab.Size())
	for i := range sym {
		sym[i] = c.Vocab.Symbol(byte(i))
	}
	binary.LittleEndian.PutUint64(b[:], uint64(len(sym)))
	h.Write(b[:])
	h.Write(sym)
	for _, t := range c.Text {
		binary.LittleEndian.PutUint64(b[:], uint64(len(t)))
		h.Write(b[:])
		h.Write(t)
	}
	return fmt.Sprintf("%d ids, %d+%d+%d bytes:%s", len(sym), len(c.Text[Train]), len(c.Text[Valid]), len(c.Text[Test]), hex.EncodeToString(h.Sum(nil)))
}
