package figures

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// updateReadme rewrites the committed README results from the current code:
//
//	go test ./pkg/figures -run TestReadmeResults -update-readme
var updateReadme = flag.Bool("update-readme", false, "rewrite docs/img/*.png and README.md's Table 1 from the registry")

// readmeImages are the PNGs the README shows, committed under docs/img/ with
// the names `tokendyn figures` gives them.
var readmeImages = []struct{ id, file string }{
	{"fig6-2d", "fig6-2d.png"},
	{"fig-1d-scenarios", "fig-1d-scenarios.png"},
}

// readmeTableBegin and readmeTableEnd enclose, in README.md, Table 1 as
// figures/tab1-dynamics.md holds it.
const (
	readmeTableBegin = "<!-- begin figures/tab1-dynamics.md (kept equal by pkg/figures TestReadmeResults) -->\n"
	readmeTableEnd   = "<!-- end figures/tab1-dynamics.md -->"
)

const repoRoot = "../.."

// TestReadmeResults keeps the results the README shows byte-identical to
// what `tokendyn figures` produces (full size, not quick): every PNG under
// docs/img/ and the Markdown of Table 1 inline in README.md. Render runs the
// artifacts with Build's code, in memory.
func TestReadmeResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three theory artifacts at full size")
	}
	// Pixels are reproducible with the baseline instruction set that the
	// Makefile exports (GOAMD64=v1); other levels may fuse multiply-adds.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOAMD64" && s.Value != "v1" {
				t.Skipf("test binary built with GOAMD64=%s; the committed images are for GOAMD64=v1 (make test sets it)", s.Value)
			}
		}
	}
	ctx := context.Background()
	for _, im := range readmeImages {
		r, err := Render(ctx, nil, im.id, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		for _, f := range r.Files {
			if f.Name == im.file {
				got = f.Data
			}
		}
		if got == nil {
			t.Fatalf("%s renders no %s", im.id, im.file)
		}
		path := filepath.Join(repoRoot, "docs", "img", im.file)
		if *updateReadme {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (regenerate: go test ./pkg/figures -run TestReadmeResults -update-readme)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/img/%s (%d bytes) differs from what `tokendyn figures --only %s` writes (%d bytes); "+
				"regenerate: go test ./pkg/figures -run TestReadmeResults -update-readme", im.file, len(want), im.id, len(got))
		}
	}

	r, err := Render(ctx, nil, "tab1-dynamics", false)
	if err != nil {
		t.Fatal(err)
	}
	var table []byte
	for _, f := range r.Files {
		if f.Name == "tab1-dynamics.md" {
			table = f.Data
		}
	}
	if table == nil {
		t.Fatal("tab1-dynamics renders no tab1-dynamics.md")
	}
	readmePath := filepath.Join(repoRoot, "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, readmeTableBegin)
	j := strings.Index(s, readmeTableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q block", strings.TrimSpace(readmeTableBegin), readmeTableEnd)
	}
	inline := s[i+len(readmeTableBegin) : j]
	if *updateReadme {
		s = s[:i+len(readmeTableBegin)] + string(table) + s[j:]
		if err := os.WriteFile(readmePath, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if inline != string(table) {
		t.Errorf("README.md's Table 1 differs from figures/tab1-dynamics.md:\n--- README\n%s\n--- tokendyn figures\n%s\n"+
			"regenerate: go test ./pkg/figures -run TestReadmeResults -update-readme", inline, table)
	}
	// Every image the README shows is one of the kept ones.
	for _, line := range strings.Split(s, "\n") {
		if k := strings.Index(line, "](docs/img/"); k >= 0 {
			name := line[k+len("](docs/img/"):]
			name = name[:strings.IndexByte(name, ')')]
			kept := false
			for _, im := range readmeImages {
				kept = kept || im.file == name
			}
			if !kept {
				t.Errorf("README.md shows docs/img/%s, which no test keeps up to date", name)
			}
		}
	}
}
