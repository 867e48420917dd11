package docblock

import "testing"

func TestBodyAndReplace(t *testing.T) {
	const begin, end = "<!-- begin x -->\n", "<!-- end x -->"
	doc := "intro\n" + begin + "old\n" + end + "\nafter " + end
	if got, err := Body(doc, begin, end); err != nil || got != "old\n" {
		t.Fatalf("Body = %q, %v; want %q", got, err, "old\n")
	}
	got, err := Replace(doc, begin, end, "new\nlines\n")
	if want := "intro\n" + begin + "new\nlines\n" + end + "\nafter " + end; err != nil || got != want {
		t.Fatalf("Replace = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"no markers", begin + "unterminated", end + begin} {
		if _, err := Body(bad, begin, end); err == nil {
			t.Errorf("Body(%q) did not fail", bad)
		}
		if _, err := Replace(bad, begin, end, "x"); err == nil {
			t.Errorf("Replace(%q) did not fail", bad)
		}
	}
}
