package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesOnlyOnSuccess(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteBytes(p, []byte("first")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got error %v, want it to wrap %v", err, boom)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "first" {
		t.Fatalf("file content %q after a failed write, want %q", got, "first")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries after a failed write, want 1 (temporary file left behind)", len(entries))
	}
}

func TestWriteFailedLeavesNoFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "never.txt")
	if err := Write(p, func(io.Writer) error { return errors.New("no") }); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("destination exists after a failed first write: %v", err)
	}
}
