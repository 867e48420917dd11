package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/echartsjs"
)

// The lookup order of findECharts: flag, variable, embedded copy, next to
// the executable, module root above the executable, module root above the
// working directory; nothing found is not an error.
func TestFindEChartsOrder(t *testing.T) {
	tmp := t.TempDir()
	write := func(rel, s string) string {
		p := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gomod := "module " + modulePath + "\n\ngo 1.26\n"
	write("repo/go.mod", gomod)
	repoJS := write("repo/node_modules/echarts/dist/echarts.min.js", "js")
	write("other/go.mod", "module example.com/other\n")
	write("other/node_modules/echarts/dist/echarts.min.js", "foreign")
	exeInRepo := write("repo/build/bin/tokendyn", "")
	besideJS := write("bin/echarts.min.js", "js")
	exeBeside := write("bin/tokendyn", "")
	exeAlone := write("alone/tokendyn", "")
	envJS := write("env.js", "js")
	noEmbed := func() ([]byte, error) { return nil, nil }
	embed := func() ([]byte, error) { return []byte("embedded"), nil }
	badEmbed := func() ([]byte, error) { return nil, errors.New("embedded copy is not the pinned one") }

	for _, c := range []struct {
		name           string
		flag, env      string
		embedded       func() ([]byte, error)
		exe, wd        string
		wantPath, want string // want: the From, or "none", or "error"
	}{
		{"flag wins", "/x/flag.js", envJS, embed, exeBeside, tmp + "/repo", "/x/flag.js", "--echarts"},
		{"variable before embedded", "", envJS, embed, exeBeside, "", envJS, "$TOKENDYN_ECHARTS"},
		{"variable naming nothing", "", tmp + "/missing.js", embed, exeBeside, "", "", "error"},
		{"embedded before files", "", "", embed, exeBeside, tmp + "/repo", "", "embedded"},
		{"embedded copy refused", "", "", badEmbed, exeBeside, "", "", "error"},
		{"next to the executable", "", "", noEmbed, exeBeside, tmp + "/repo", besideJS, "next to the executable"},
		{"module root above the executable", "", "", noEmbed, exeInRepo, tmp + "/other", repoJS, "module root " + tmp + "/repo"},
		{"module root above the working directory", "", "", noEmbed, exeAlone, tmp + "/repo/notebooks", repoJS, "module root " + tmp + "/repo"},
		{"another module's node_modules is not ours", "", "", noEmbed, exeAlone, tmp + "/other", "", "none"},
		{"nothing", "", "", noEmbed, "", tmp, "", "none"},
	} {
		src, err := findECharts(c.flag, c.env, c.embedded, c.exe, c.wd)
		switch {
		case c.want == "error":
			if err == nil {
				t.Errorf("%s: no error (got %+v)", c.name, src)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
			continue
		case c.want == "none":
			if !src.none() {
				t.Errorf("%s: found %+v, want nothing", c.name, src)
			}
			continue
		}
		if src.From != c.want || src.Path != c.wantPath || (c.want == "embedded") != (src.Embedded != nil) {
			t.Errorf("%s: got %+v, want path %q from %q", c.name, src, c.wantPath, c.want)
		}
	}
}

// buildTokendyn compiles this command into dir (outside the repository)
// with the given build flags.
func buildTokendyn(t *testing.T, dir string, flags ...string) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	exe := filepath.Join(dir, "tokendyn")
	cmd := exec.Command(gocmd, append(append([]string{"build"}, flags...), "-o", exe, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", flags, err, out)
	}
	return exe
}

// runOutside runs exe with args in a fresh directory outside the
// repository, with no $TOKENDYN_ECHARTS, and returns the output directory,
// stderr and the exit code.
func runOutside(t *testing.T, exe string, args ...string) (string, string, int) {
	t.Helper()
	wd := t.TempDir()
	if root := moduleRoot(wd); root != "" {
		t.Skipf("the temporary directory %s is inside the module at %s", wd, root)
	}
	out := filepath.Join(wd, "out")
	cmd := exec.Command(exe, append(args, "--out", out)...)
	cmd.Dir = wd
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envECharts+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out, stderr.String(), code
}

// htmlLink matches a Markdown link to an HTML page in INDEX.md.
var htmlLink = regexp.MustCompile(`\]\([^)]*\.html\)`)

// The binary `make tokendyn` builds (-tags embedassets) and one built
// without the tag, each copied out of the repository and run from a
// directory outside it: the first writes every format with a working HTML
// page, the second every static format and one warning line, exit 0.
func TestFiguresFromOutsideTheRepository(t *testing.T) {
	js, err := os.ReadFile(echartsFromCmd)
	if err != nil {
		t.Skipf("echarts not installed (npm ci): %v", err)
	}
	if err := echartsjs.Verify(js); err != nil {
		t.Fatalf("node_modules: %v", err)
	}
	// Embed npm's copy through an overlay, as `make tokendyn` does by copying.
	abs, err := filepath.Abs(echartsFromCmd)
	if err != nil {
		t.Fatal(err)
	}
	dist, err := filepath.Abs("../../internal/echartsjs/dist/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {dist: abs}})
	ovl := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(ovl, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	const id = "fig6-2d"
	args := []string{"figures", "--only", id}

	t.Run("embedded", func(t *testing.T) {
		exe := buildTokendyn(t, t.TempDir(), "-tags", "embedassets", "-overlay", ovl)
		out, stderr, code := runOutside(t, exe, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if strings.Contains(stderr, "warning") {
			t.Errorf("warned although the bundle is embedded: %s", stderr)
		}
		for _, ext := range []string{".png", ".svg", ".pdf", ".html", ".json"} {
			if fi, err := os.Stat(filepath.Join(out, id+ext)); err != nil || fi.Size() == 0 {
				t.Errorf("%s%s: not written (%v)", id, ext, err)
			}
		}
		if got, err := os.ReadFile(filepath.Join(out, "assets", "echarts.min.js")); err != nil || !bytes.Equal(got, js) {
			t.Errorf("assets/echarts.min.js is not the pinned bundle (err %v)", err)
		}
		page, _ := os.ReadFile(filepath.Join(out, id+".html"))
		if !bytes.Contains(page, []byte(`src="assets/echarts.min.js"`)) {
			t.Errorf("%s.html does not load assets/echarts.min.js", id)
		}
		if idx, _ := os.ReadFile(filepath.Join(out, "INDEX.md")); !htmlLink.Match(idx) {
			t.Errorf("INDEX.md links no HTML page")
		}
	})

	t.Run("no bundle anywhere", func(t *testing.T) {
		exe := buildTokendyn(t, t.TempDir())
		out, stderr, code := runOutside(t, exe, args...)
		if code != 0 {
			t.Fatalf("exit %d, want 0: %s", code, stderr)
		}
		var warnings []string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, "warning") {
				warnings = append(warnings, l)
			}
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "skipping the HTML") {
			t.Errorf("want one warning line about skipping HTML, got %q", warnings)
		}
		for _, ext := range []string{".png", ".svg", ".pdf", ".json"} {
			if fi, err := os.Stat(filepath.Join(out, id+ext)); err != nil || fi.Size() == 0 {
				t.Errorf("%s%s: not written (%v)", id, ext, err)
			}
		}
		for _, p := range []string{id + ".html", "assets"} {
			if _, err := os.Stat(filepath.Join(out, p)); !os.IsNotExist(err) {
				t.Errorf("%s written without a bundle (stat: %v)", p, err)
			}
		}
		if idx, _ := os.ReadFile(filepath.Join(out, "INDEX.md")); htmlLink.Match(idx) {
			t.Errorf("INDEX.md links an HTML page that was not written")
		}
	})
}
