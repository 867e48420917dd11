package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/claims"
)

// tokendyn claims prints one line a claim and a summary, writes the three
// files, and reads back what it wrote; usage errors exit 2.
func TestClaimsCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	var out, errb bytes.Buffer
	if code := run([]string{"claims", "--quick", "--out", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	l, err := claims.Read(filepath.Join(dir, "claims.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(l.Claims)+1 || !strings.HasPrefix(lines[0], "C1 ") || !strings.Contains(lines[len(lines)-1], "claims: ") {
		t.Errorf("stdout is not one line a claim and a summary:\n%s", out.String())
	}
	for _, f := range []string{"claims.md", "claims.html"} {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || !bytes.Contains(b, []byte("C1")) {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, args := range [][]string{{"claims", "extra"}, {"claims", "--nope"}} {
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
