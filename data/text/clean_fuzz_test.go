package text

import (
	"strings"
	"testing"
)

// FuzzCleanGCIDEEntry: any bytes clean without panicking into text of the
// ASCII vocabulary with no markup characters left.
//
//	go test ./data/text -run '^$' -fuzz FuzzCleanGCIDEEntry -fuzztime 60s
func FuzzCleanGCIDEEntry(f *testing.F) {
	f.Add([]byte("Abandon \\A*ban\"don\\ ([.a]*b[a^]n\"d[u^]n), v. t. [imp. & p. p.\n   {Abandoned}.]\n   1. To cast out. [Obs.]\n      [1913 Webster]\n\n   Syn: yield.\n"))
	f.Add([]byte("\n[1913 Webster]\n\n   {Gag rein} (Harness), a rein.\n"))
	f.Add([]byte("X \\X\\, Y\n\\Y\\ (x[=a]), n. [[[ ]] } { \x92\xff\t(a*b) --Shak.\n"))
	vocab := ASCIIVocab()
	f.Fuzz(func(t *testing.T, raw []byte) {
		head, text := CleanGCIDEEntry(raw)
		if strings.ContainsAny(head, "\n") {
			t.Fatalf("headword %q spans lines", head)
		}
		for _, s := range []string{head, text} {
			if _, err := vocab.Encode([]byte(s)); err != nil {
				t.Fatalf("output %q: %v", s, err)
			}
			if strings.ContainsAny(s, "{}[]\\") {
				t.Fatalf("markup left in %q", s)
			}
		}
		for _, p := range strings.Split(text, "\n") {
			if text != "" && (p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "  ")) {
				t.Fatalf("paragraph %q is empty or not whitespace-normalized", p)
			}
		}
	})
}
