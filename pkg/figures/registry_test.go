package figures

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

func TestRegistryIsValid(t *testing.T) {
	reg := All()
	if err := CheckRegistry(reg); err != nil {
		t.Fatal(err)
	}
	if len(reg) == 0 {
		t.Fatal("empty registry")
	}
	// All builds a fresh registry each time: no shared state between calls.
	a, b := All(), All()
	a[0].ID = "changed"
	if b[0].ID == "changed" {
		t.Fatal("All returns shared artifacts")
	}
}

func TestRegistryNotebooksExist(t *testing.T) {
	for _, a := range All() {
		if a.Notebook == "" {
			t.Errorf("%s names no notebook", a.ID)
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", "..", a.Notebook))
		if err != nil {
			t.Errorf("%s: its notebook: %v", a.ID, err)
			continue
		}
		// The notebook shows the artifact: it names it (BuildArtifact, a
		// figures/ file name or a link).
		if !strings.Contains(string(b), a.ID) {
			t.Errorf("%s: notebook %s never mentions it", a.ID, a.Notebook)
		}
	}
}

// theoryArtifacts are the artifacts computed from the theory and the layer
// algebra alone (the experiments' scaled-down proxies train models and have
// their own tests).
func theoryArtifacts() []Artifact {
	var out []Artifact
	for _, a := range All() {
		if !strings.HasPrefix(a.Scale, "scaled-down proxy") {
			out = append(out, a)
		}
	}
	return out
}

// TestBuildIsDeterministic builds every theory artifact twice in quick mode
// into two directories and compares every file byte for byte, sidecars
// without their wall time.
func TestBuildIsDeterministic(t *testing.T) {
	needECharts(t)
	reg := theoryArtifacts()
	if len(reg) < 7 {
		t.Fatalf("%d theory artifacts, want at least 7", len(reg))
	}
	dirs := [2]string{t.TempDir(), t.TempDir()}
	var reports [2]*Report
	for i, dir := range dirs {
		rep, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: dir, EChartsJS: echartsTestPath, Quick: true, Registry: reg})
		if err != nil {
			t.Fatal(err)
		}
		reports[i] = rep
	}
	if a, b := strings.Join(reports[0].Files, " "), strings.Join(reports[1].Files, " "); a != b {
		t.Fatalf("different file lists:\n%s\n%s", a, b)
	}
	for _, name := range reports[0].Files {
		a := readDropWallTime(t, filepath.Join(dirs[0], name))
		b := readDropWallTime(t, filepath.Join(dirs[1], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two identical builds", name)
		}
	}
	// Every artifact's files are listed in its sidecar and exist.
	for _, a := range reg {
		sc, err := readSidecar(filepath.Join(dirs[0], a.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if sc.Caption == "" || sc.PaperRef != a.PaperRef || sc.Scale != a.Scale || !sc.Quick {
			t.Errorf("%s: incomplete sidecar %+v", a.ID, sc)
		}
		if sc.CaptionHTML != render.ScriptHTML(sc.Caption) || sc.TitleHTML != render.ScriptHTML(a.Title) || sc.LookHTML != render.ScriptHTML(a.Look) {
			t.Errorf("%s: sidecar HTML texts are not the script reading of the plain ones", a.ID)
		}
		if strings.Contains(sc.Caption, "x_l") && !strings.Contains(sc.CaptionHTML, "x<sub>l</sub>") {
			t.Errorf("%s: caption_html %q does not typeset x_l", a.ID, sc.CaptionHTML)
		}
		for _, f := range sc.Files {
			if _, err := os.Stat(filepath.Join(dirs[0], f)); err != nil {
				t.Errorf("%s: sidecar lists %s: %v", a.ID, f, err)
			}
		}
	}
	noCDN(t, dirs[0])
	// Nothing but the files reported was written (no temporary files left).
	var found []string
	filepath.WalkDir(dirs[0], func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dirs[0], path)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	want := append([]string(nil), reports[0].Files...)
	sort.Strings(found)
	sort.Strings(want)
	if strings.Join(found, " ") != strings.Join(want, " ") {
		t.Errorf("directory holds\n%v\nreport lists\n%v", found, want)
	}
}

// readDropWallTime reads a file; for a sidecar it removes WallTimeField.
func readDropWallTime(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Ext(path) != ".json" {
		return b
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if _, ok := m[WallTimeField]; !ok {
		t.Fatalf("%s has no %s field", path, WallTimeField)
	}
	delete(m, WallTimeField)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every artifact says what to look at, in one sentence, and the INDEX and
// the sidecar carry it.
func TestEveryArtifactSaysWhatToLookAt(t *testing.T) {
	for _, a := range All() {
		if a.Look == "" || strings.Contains(a.Look, "\n") || strings.HasSuffix(a.Look, ".") {
			t.Errorf("%s: Look %q: want one sentence without the final period", a.ID, a.Look)
		}
	}
}
