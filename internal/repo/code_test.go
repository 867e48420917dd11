package repo

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The code digest of a tiny module changes with one byte of a Go source,
// of go.mod or go.sum, and with a renamed file; it does not change with a
// test file, testdata, a dot directory, a nested module or a non-Go file.
func TestCodeDigest(t *testing.T) {
	root := t.TempDir()
	write := func(rel, s string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.26\n")
	write("go.sum", "")
	write("a.go", "package m\n\nconst A = 1\n")
	write("sub/b.go", "package sub\n")
	digest := func() string {
		t.Helper()
		d, err := CodeDigest(root)
		if err != nil {
			t.Fatal(err)
		}
		if len(d) != 64 {
			t.Fatalf("digest %q is not a hex SHA-256", d)
		}
		return d
	}
	base := digest()
	if again := digest(); again != base {
		t.Fatalf("two digests of the same tree differ: %s %s", base, again)
	}
	// Files the go command does not build leave it unchanged.
	write("a_test.go", "package m\n")
	write("testdata/x.go", "package x\n")
	write(".cache/y.go", "package y\n")
	write("_old/z.go", "package z\n")
	write("nested/go.mod", "module example.com/n\n")
	write("nested/n.go", "package n\n")
	write("notes.md", "# notes\n")
	if d := digest(); d != base {
		t.Errorf("a test file, testdata, a dot or underscore directory, a nested module or a non-Go file changed the digest")
	}
	// One byte of a source, of go.mod, of go.sum; a rename.
	for _, c := range []struct{ name, rel, edited string }{
		{"a source byte", "a.go", "package m\n\nconst A = 2\n"},
		{"go.mod", "go.mod", "module example.com/m\n\ngo 1.27\n"},
		{"go.sum", "go.sum", "x"},
	} {
		orig, err := os.ReadFile(filepath.Join(root, c.rel))
		if err != nil {
			t.Fatal(err)
		}
		write(c.rel, c.edited)
		if digest() == base {
			t.Errorf("%s: the digest did not change", c.name)
		}
		write(c.rel, string(orig))
		if d := digest(); d != base {
			t.Fatalf("%s: restoring the file did not restore the digest", c.name)
		}
	}
	if err := os.Rename(filepath.Join(root, "sub", "b.go"), filepath.Join(root, "sub", "c.go")); err != nil {
		t.Fatal(err)
	}
	if digest() == base {
		t.Error("a renamed source left the digest unchanged")
	}
}

// The digest of this module takes milliseconds.
func TestCodeDigestOfThisModule(t *testing.T) {
	root, err := ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d, err := CodeDigest(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("code digest %s in %v", d, time.Since(start))
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the code digest took %v", el)
	}
}
