package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestQuietWritesNothing(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Quiet, "work", 3)
	b.Add(1)
	b.Add(2)
	b.Finish()
	if buf.Len() != 0 {
		t.Fatalf("quiet bar wrote %q", buf.String())
	}
}

func TestNotebookLineEndsWithTotal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Notebook, "work", 4)
	for i := 0; i < 4; i++ {
		b.Add(1)
	}
	b.Finish()
	out := buf.String()
	if !strings.Contains(out, "work 4/4 (100%)") || !strings.HasSuffix(out, "\n") {
		t.Fatalf("notebook output %q lacks the final count or newline", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Fatalf("notebook output contains ANSI escapes: %q", out)
	}
}

func TestNilBarIsSafe(t *testing.T) {
	var b *Bar
	b.Add(1)
	b.Note("x")
	b.Finish()
}
