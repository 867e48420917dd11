package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tokendyn/tokendyn/pkg/figures"
)

const echartsFromCmd = "../../" + figures.DefaultEChartsJS

func TestFiguresList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"figures", "--list"}, &out, &errb); code != 0 {
		t.Fatalf("--list exited %d: %s", code, errb.String())
	}
	for _, a := range figures.All() {
		if !strings.Contains(out.String(), a.ID+" ") || !strings.Contains(out.String(), a.Notebook) {
			t.Errorf("--list lacks %s or its notebook:\n%s", a.ID, out.String())
		}
	}
}

func TestFiguresUsageErrors(t *testing.T) {
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"figures", "--only", "nope"}, "valid IDs: " + figures.All()[0].ID},
		{[]string{"figures", "--frobnicate"}, "flag provided but not defined"},
		{[]string{"figures", "--only", ","}, "names no artifact"},
		{[]string{"figures", "extra"}, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		if code := run(test.args, &out, &errb); code != 2 {
			t.Errorf("test %d: %v exited %d, want 2", i, test.args, code)
		}
		if !strings.Contains(errb.String(), test.want) {
			t.Errorf("test %d: stderr %q lacks %q", i, errb.String(), test.want)
		}
	}
}

func TestFiguresMissingEChartsFailsInOneLine(t *testing.T) {
	var out, errb bytes.Buffer
	id := ""
	for _, a := range figures.All() { // a figure: tables need no echarts
		if a.Kind == figures.KindFigure {
			id = a.ID
			break
		}
	}
	code := run([]string{"figures", "--quick", "--only", id, "--out", t.TempDir(), "--echarts", "/nonexistent/echarts.min.js"}, &out, &errb)
	if code != 1 {
		t.Fatalf("exited %d, want 1", code)
	}
	if s := errb.String(); strings.Count(s, "\n") != 1 || !strings.Contains(s, "npm ci") {
		t.Fatalf("want one line naming npm ci, got %q", s)
	}
}

func TestFiguresWritesAndListsFiles(t *testing.T) {
	if _, err := os.Stat(echartsFromCmd); err != nil {
		t.Skipf("echarts not installed: %v", err)
	}
	dir := t.TempDir()
	id := "fig-hidden-attention"
	var out, errb bytes.Buffer
	if code := run([]string{"figures", "--quick", "--only", id, "--out", dir, "--echarts", echartsFromCmd}, &out, &errb); code != 0 {
		t.Fatalf("exited %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, want := range []string{id + ".png", id + ".svg", id + ".html", id + ".json", "assets/echarts.min.js", figures.IndexFile} {
		found := false
		for _, l := range lines {
			if l == filepath.Join(dir, want) {
				found = true
				if _, err := os.Stat(l); err != nil {
					t.Errorf("listed file %s: %v", l, err)
				}
			}
		}
		if !found {
			t.Errorf("output does not list %s:\n%s", want, out.String())
		}
	}
}

// `figures --list` fits an 80-column terminal and names every artifact;
// `--list --json` gives the same registry as JSON.
func TestFiguresListWidthAndJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"figures", "--list"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("%d columns: %q", n, line)
		}
	}
	var js, errj bytes.Buffer
	if code := run([]string{"figures", "--list", "--json"}, &js, &errj); code != 0 {
		t.Fatalf("--json exit %d: %s", code, errj.String())
	}
	var entries []struct {
		ID, Kind string
	}
	if err := json.Unmarshal(js.Bytes(), &entries); err != nil {
		t.Fatal(err)
	}
	reg := figures.All()
	if len(entries) != len(reg) {
		t.Fatalf("%d JSON entries, registry has %d", len(entries), len(reg))
	}
	for i, a := range reg {
		if entries[i].ID != a.ID || entries[i].Kind != string(a.Kind) {
			t.Errorf("entry %d is %+v, want %s (%s)", i, entries[i], a.ID, a.Kind)
		}
		if !strings.Contains(out.String(), a.ID+" ("+string(a.Kind)+")") {
			t.Errorf("--list does not show %s", a.ID)
		}
	}
}
