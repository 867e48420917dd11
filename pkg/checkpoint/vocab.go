package checkpoint

import (
	"fmt"

	"github.com/tokendyn/tokendyn/data/text"
)

// ByteVocab returns the byte vocabulary of a tokendyn checkpoint, fixed by
// its corpus: gcide's 96 symbols or wikitext103's 256 bytes. Other layouts
// have tokenizers of their own (GPT-NeoX for state-spaces/mamba-*), which
// this module does not implement: pass token ids instead.
func (c Config) ByteVocab() (*text.Vocab, error) {
	if c.Layout != Tokendyn {
		return nil, fmt.Errorf("checkpoint: a %s checkpoint has its own tokenizer; give token ids (--ids), not text", c.Layout)
	}
	var v *text.Vocab
	switch c.Data {
	case "gcide":
		v = text.ASCIIVocab()
	case "wikitext103":
		v = text.ByteVocab()
	default:
		return nil, fmt.Errorf("checkpoint: unknown corpus %q in the tokendyn configuration", c.Data)
	}
	if v.Size() != c.Vocab {
		return nil, fmt.Errorf("checkpoint: corpus %s has %d symbols but the model %d token ids", c.Data, v.Size(), c.Vocab)
	}
	return v, nil
}
