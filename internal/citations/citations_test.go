package citations

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSections(t *testing.T) {
	md := "# Title 9\n## 0. Provenance\ntext §7\n### 0.1 Tags\n## 12. Open\n####  5.2 Deep\n## Unnumbered\n#5. no space\n"
	got := Sections(md)
	want := map[string]bool{"0": true, "0.1": true, "12": true, "5.2": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sections = %v, want %v", got, want)
	}
}

func TestFind(t *testing.T) {
	// Built from pieces so that this file holds no citation itself.
	const pm = "paper" + ".md"
	text := strings.NewReplacer("PM", pm).Replace("a (docs/PM §10.) b PM §3, §4 and\n" +
		"// the registry (docs/PM §1–§4): c docs/PM §5.2 item 3, §6 is not chained\n" +
		"// wrapped (docs/PM\n// §6.2) and (PM\n    \"§7\n" +
		"\"see docs/PM §2.1\\n\",\n    \"§3.4/§5.1\" docs/PM without a section\n")
	want := []Citation{
		{1, "10", false}, {1, "3", true}, {1, "4", true},
		{2, "1", false}, {2, "4", false}, {2, "5.2", false},
		{4, "6.2", false}, {5, "7", true},
		{6, "2.1", false},
	}
	if got := Find(text); !reflect.DeepEqual(got, want) {
		t.Errorf("Find =\n%v\nwant\n%v", got, want)
	}
}

// root returns the repository root (the directory holding go.mod).
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
}

// trackedFiles lists the repository's tracked files (git ls-files), or,
// outside a git checkout, every file but generated and vendored trees.
func trackedFiles(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = dir
	if out, err := cmd.Output(); err == nil {
		return strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	}
	skip := map[string]bool{".git": true, "node_modules": true, "build": true, "figures": true, "runs": true, ".cache": true}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && skip[d.Name()] {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRepositoryCitations requires every citation of docs/paper.md in a
// tracked text file to name a section that exists, and no citation to
// omit the docs/ prefix.
func TestRepositoryCitations(t *testing.T) {
	dir := root(t)
	md, err := os.ReadFile(filepath.Join(dir, "docs", "paper.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections := Sections(string(md))
	for _, s := range []string{"0", "1.2", "3", "5.1", "10", "13"} {
		if !sections[s] {
			t.Fatalf("docs/paper.md has no section %s (found %d numbered headings)", s, len(sections))
		}
	}
	files, n := trackedFiles(t, dir), 0
	for _, f := range files {
		if f == "docs/paper.md" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0 {
			continue // binary
		}
		for _, c := range Find(string(b)) {
			n++
			switch {
			case c.Bare:
				t.Errorf("%s:%d: cites section %s of paper.md without the docs/ prefix", f, c.Line, c.Section)
			case !sections[c.Section]:
				t.Errorf("%s:%d: cites section %s, which docs/paper.md does not have", f, c.Line, c.Section)
			}
		}
	}
	if n == 0 {
		t.Errorf("no citation found in %d files: the scan is broken", len(files))
	}
}
