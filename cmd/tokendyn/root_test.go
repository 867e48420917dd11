package main

import (
	"os"
	"path/filepath"
	"testing"
)

// checkoutRoot finds the module above the working directory when its go.mod
// declares this module, and refuses another module's go.mod (the test
// binary itself lives outside any checkout).
func TestCheckoutRoot(t *testing.T) {
	ours, other := t.TempDir(), t.TempDir()
	for dir, mod := range map[string]string{ours: modulePath, other: "example.com/other"} {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+mod+"\n\ngo 1.26\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(ours, "a", "b"))
	want, _ := filepath.EvalSymlinks(ours)
	if got, err := checkoutRoot(); err != nil || got != ours && got != want {
		t.Errorf("inside our module: checkoutRoot = %q, %v; want %q", got, err, ours)
	}
	t.Chdir(filepath.Join(other, "a"))
	if got, err := checkoutRoot(); err == nil {
		t.Errorf("inside another module: checkoutRoot = %q, want an error", got)
	}
}
