package text

import "fmt"

// Vocab maps the bytes of a text to dense token ids 0..Size()−1 and back.
// Ids fit a byte, so token streams are []byte.
type Vocab struct {
	symbols []byte
	ids     [256]int16 // -1 for a byte outside the vocabulary
}

// NewVocab builds the vocabulary of the given distinct bytes; id i is
// symbols[i].
func NewVocab(symbols []byte) (*Vocab, error) {
	if len(symbols) == 0 || len(symbols) > 256 {
		return nil, fmt.Errorf("text: vocabulary of %d symbols, want 1..256", len(symbols))
	}
	v := &Vocab{symbols: append([]byte(nil), symbols...)}
	for i := range v.ids {
		v.ids[i] = -1
	}
	for i, s := range symbols {
		if v.ids[s] >= 0 {
			return nil, fmt.Errorf("text: vocabulary lists byte %q twice", s)
		}
		v.ids[s] = int16(i)
	}
	return v, nil
}

// ASCIIVocab is the 96-symbol vocabulary of the cleaned GCIDE corpus: '\n'
// (id 0) and the printable ASCII bytes 0x20 ' ' .. 0x7E '~' (ids 1..95).
func ASCIIVocab() *Vocab {
	s := []byte{'\n'}
	for b := byte(0x20); b <= 0x7e; b++ {
		s = append(s, b)
	}
	v, _ := NewVocab(s) // 96 distinct bytes
	return v
}

// ByteVocab is the 256-symbol identity vocabulary (id = byte), for raw UTF-8
// text such as WikiText-103.
func ByteVocab() *Vocab {
	s := make([]byte, 256)
	for i := range s {
		s[i] = byte(i)
	}
	v, _ := NewVocab(s)
	return v
}

// Size is the number of token ids.
func (v *Vocab) Size() int { return len(v.symbols) }

// ID returns the id of byte b, or -1 when b is not in the vocabulary.
func (v *Vocab) ID(b byte) int { return int(v.ids[b]) }

// Symbol returns the byte of id.
func (v *Vocab) Symbol(id byte) byte { return v.symbols[id] }

// Encode maps text to ids; a byte outside the vocabulary is an error naming
// it and its offset.
func (v *Vocab) Encode(text []byte) ([]byte, error) {
	out := make([]byte, len(text))
	for i, b := range text {
		id := v.ids[b]
		if id < 0 {
			return nil, fmt.Errorf("byte %#02x at offset %d is not in the %d-symbol vocabulary", b, i, len(v.symbols))
		}
		out[i] = byte(id)
	}
	return out, nil
}

// Decode maps ids back to text; an id out of range is an error.
func (v *Vocab) Decode(ids []byte) ([]byte, error) {
	out := make([]byte, len(ids))
	for i, id := range ids {
		if int(id) >= len(v.symbols) {
			return nil, fmt.Errorf("token id %d at offset %d is out of range 0..%d", id, i, len(v.symbols)-1)
		}
		out[i] = v.symbols[id]
	}
	return out, nil
}
