package text

import (
	"os"
	"testing"
)

// ContentDigest is a function of the produced text and vocabulary only:
// equal corpora agree, one changed byte or symbol changes it.
func TestContentDigestFollowsTheText(t *testing.T) {
	mk := func() *Corpus {
		c, err := FromTokens("x", 4, []byte{0, 1, 2, 3}, []byte{1, 1}, []byte{2})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := mk(), mk()
	b.Source, b.Name = "elsewhere", "y" // where it came from does not enter
	if a.ContentDigest() != b.ContentDigest() {
		t.Fatal("equal corpora, different digests")
	}
	b.Text[Valid][1] = 0
	if a.ContentDigest() == b.ContentDigest() {
		t.Error("a changed byte kept the digest")
	}
	c := mk()
	c.Vocab, _ = NewVocab([]byte{0, 1, 2, 4})
	if a.ContentDigest() == c.ContentDigest() {
		t.Error("another vocabulary kept the digest")
	}
	// Splits are delimited: moving a byte from one split to the next changes it.
	d, _ := FromTokens("x", 4, []byte{0, 1, 2}, []byte{3, 1, 1}, []byte{2})
	if a.ContentDigest() == d.ContentDigest() {
		t.Error("a byte moved between splits kept the digest")
	}
}

// From the same GCIDE files, two different cleanings/selections (here two
// size caps) give two digests: the key follows what the loader produces,
// not the files it read. Needs Debian's dict-gcide.
func TestGCIDEDigestFollowsTheCleanedText(t *testing.T) {
	if _, err := os.Stat(DefaultGCIDEIndex); err != nil {
		t.Skip("dict-gcide is not installed")
	}
	small, err := LoadGCIDE(GCIDEOptions{MaxBytes: 200_000})
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadGCIDE(GCIDEOptions{MaxBytes: 200_000})
	if err != nil {
		t.Fatal(err)
	}
	larger, err := LoadGCIDE(GCIDEOptions{MaxBytes: 300_000})
	if err != nil {
		t.Fatal(err)
	}
	if small.ContentDigest() != again.ContentDigest() {
		t.Fatal("the same load gave two digests")
	}
	if small.ContentDigest() == larger.ContentDigest() {
		t.Error("another produced text from the same files kept the digest")
	}
}
