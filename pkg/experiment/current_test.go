package experiment

import (
	"os"
	"strings"
	"testing"
)

// The current pointer round-trips per specification, is absent for another
// specification, and a file that holds no key hash is refused.
func TestCurrentPointer(t *testing.T) {
	root := t.TempDir()
	spec, other := []byte(`{"seeds":[1,2]}`), []byte(`{"seeds":[1,3]}`)
	hash := strings.Repeat("ab", 32)
	if _, ok, err := ReadCurrent(root, "lm", spec); ok || err != nil {
		t.Fatalf("before any write: ok %v, %v", ok, err)
	}
	if err := WriteCurrent(root, "lm", spec, hash); err != nil {
		t.Fatal(err)
	}
	if h, ok, err := ReadCurrent(root, "lm", spec); !ok || err != nil || h != hash {
		t.Fatalf("read back %q, %v, %v", h, ok, err)
	}
	if _, ok, _ := ReadCurrent(root, "lm", other); ok {
		t.Error("another specification found the pointer")
	}
	if _, ok, _ := ReadCurrent(root, "reorder", spec); ok {
		t.Error("another experiment found the pointer")
	}
	if err := WriteCurrent(root, "lm", spec, "short"); err == nil {
		t.Error("a non-hash was written")
	}
	if err := os.WriteFile(CurrentPath(root, "lm", spec), []byte("../../etc/passwd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadCurrent(root, "lm", spec); err == nil {
		t.Error("a pointer holding a path was accepted")
	}
}
