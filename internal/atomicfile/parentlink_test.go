package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymlinkedParentDirectory: a destination reached through a symlinked
// directory is written in the directory the link points to (the temporary
// file is created there too, so the rename stays atomic), and it is still
// recognised as an input reached by its real path, and conversely.
func TestSymlinkedParentDirectory(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	in := filepath.Join(real, "in.txt")
	if err := os.WriteFile(in, []byte("input"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dst, input string }{
		{filepath.Join(link, "in.txt"), in},
		{in, filepath.Join(link, "in.txt")},
	} {
		err := WriteBytes(c.dst, []byte("x"), NotOver(c.input))
		if err == nil || !strings.Contains(err.Error(), "refusing to overwrite an input") {
			t.Errorf("write %s with input %s: %v, want a refusal", c.dst, c.input, err)
		}
	}
	if b, _ := os.ReadFile(in); string(b) != "input" {
		t.Fatalf("input changed to %q", b)
	}
	if err := WriteBytes(filepath.Join(link, "out.txt"), []byte("out")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(real, "out.txt")); err != nil || string(b) != "out" {
		t.Fatalf("out.txt in the real directory: %q, %v", b, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the directory link was replaced: %v", err)
	}
	entries, _ := os.ReadDir(real)
	for _, e := range entries {
		if IsTemp(e.Name()) {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}
