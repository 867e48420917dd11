package figures

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// With NoHTML, Build writes every static format, no page and no assets,
// and the sidecar and INDEX.md list only what is there.
func TestBuildNoHTMLWritesTheStaticFormats(t *testing.T) {
	out := t.TempDir()
	rep, err := Build(context.Background(), Options{OutDir: out, NoHTML: true, EChartsJS: "/nonexistent/echarts.min.js", Registry: demoArtifacts()})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"demo-fig.png", "demo-fig.svg", "demo-fig.pdf", "demo-fig.json",
		"demo-tab.csv", "demo-tab.md", "demo-tab.tex", "demo-tab.json", "INDEX.md"}
	if got := strings.Join(rep.Files, " "); got != strings.Join(want, " ") {
		t.Fatalf("files written:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
	if _, err := os.Stat(filepath.Join(out, render.AssetsDir)); !os.IsNotExist(err) {
		t.Errorf("%s/ written without HTML (stat: %v)", render.AssetsDir, err)
	}
	sc, err := readSidecar(filepath.Join(out, "demo-fig.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sc.Files, " "); got != "demo-fig.png demo-fig.svg demo-fig.pdf" {
		t.Errorf("sidecar lists %s", got)
	}
	idx, err := os.ReadFile(filepath.Join(out, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(idx, []byte(".html)")) {
		t.Errorf("INDEX.md links an HTML page that was not written:\n%s", idx)
	}
}

// A bundle given as bytes (the copy embedded in the binary) is copied as
// it is, and a tampered one is refused before anything is written.
func TestBuildEChartsBytes(t *testing.T) {
	needECharts(t)
	js, err := os.ReadFile(echartsTestPath)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := Build(context.Background(), Options{OutDir: out, ECharts: js, EChartsJS: "/nonexistent/echarts.min.js", Registry: demoArtifacts()}); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(out, render.AssetsDir, "echarts.min.js")); err != nil || !bytes.Equal(got, js) {
		t.Errorf("assets/echarts.min.js is not the bundle given (err %v)", err)
	}
	bad := bytes.Clone(js)
	bad[100] ^= 1
	out2 := filepath.Join(t.TempDir(), "out")
	_, err = Build(context.Background(), Options{OutDir: out2, ECharts: bad, Registry: demoArtifacts()})
	if err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("tampered bundle: got %v, want a SHA-256 mismatch", err)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("a refused bundle still created %s (stat: %v)", out2, err)
	}
}
