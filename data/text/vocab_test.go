package text

import (
	"bytes"
	"strings"
	"testing"
)

func TestVocab(t *testing.T) {
	a := ASCIIVocab()
	if a.Size() != 96 || a.ID('\n') != 0 || a.ID(' ') != 1 || a.ID('~') != 95 || a.ID('\t') != -1 || a.ID(0x80) != -1 {
		t.Fatalf("ASCII vocabulary: size %d ids %d %d %d", a.Size(), a.ID('\n'), a.ID(' '), a.ID('~'))
	}
	text := []byte("Abandon\nTo cast or drive out; -- \"quoted\" ~ {x}.\n")
	ids, err := a.Encode(text)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if int(id) >= a.Size() || a.Symbol(id) != text[i] {
			t.Fatalf("id %d of %q", id, text[i])
		}
	}
	back, err := a.Decode(ids)
	if err != nil || !bytes.Equal(back, text) {
		t.Fatalf("Decode(Encode(x)) = %q, %v", back, err)
	}
	if _, err := a.Encode([]byte("caf\xc3\xa9")); err == nil || !strings.Contains(err.Error(), "offset 3") {
		t.Fatalf("non-ASCII byte: error %v", err)
	}
	if _, err := a.Decode([]byte{96}); err == nil {
		t.Fatal("id 96 decoded")
	}
	b := ByteVocab()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	if got, err := b.Encode(all); b.Size() != 256 || err != nil || !bytes.Equal(got, all) {
		t.Fatal("the byte vocabulary is not the identity")
	}
	if _, err := NewVocab([]byte("abca")); err == nil {
		t.Fatal("duplicate symbol accepted")
	}
	if _, err := NewVocab(nil); err == nil {
		t.Fatal("empty vocabulary accepted")
	}
}
