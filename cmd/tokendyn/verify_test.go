package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures"
)

// tokendyn verify as its own process on a quick build of two artifacts:
// exit 0 and one ok line each; after an edited parameter exit 1 naming
// exactly that artifact stale; after a deleted output exit 1 naming it
// missing; --json gives the same status; a directory that is not one, a
// malformed sidecar: one line naming the problem, exit 1; two directories:
// a usage error.
func TestVerifyExitCodes(t *testing.T) {
	dir := t.TempDir()
	ids := "tab1-dynamics,fig6-2d"
	var out, errb bytes.Buffer
	if code := run([]string{"figures", "--quick", "--only", ids, "--out", dir}, &out, &errb); code != 0 {
		t.Fatalf("figures exited %d: %s", code, errb.String())
	}
	sc, err := os.ReadFile(filepath.Join(dir, "fig6-2d.json"))
	if err != nil {
		t.Fatal(err)
	}
	var side struct{ Provenance figures.Provenance }
	if err := json.Unmarshal(sc, &side); err != nil {
		t.Fatal(err)
	}
	if want := "tokendyn figures --only " + ids + " --quick"; side.Provenance.Command != want {
		t.Errorf("recorded command %q, want %q (no output directory)", side.Provenance.Command, want)
	}

	verify := func(wantCode int, want map[string]string, args ...string) string {
		t.Helper()
		code, stdout, stderr := runChild(t, append([]string{"verify", "--only", ids}, args...)...)
		if code != wantCode || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine ") {
			t.Errorf("verify %v: exit %d (want %d), stderr %q", args, code, wantCode, stderr)
		}
		for id, line := range want {
			found := false
			for _, l := range strings.Split(stdout, "\n") {
				if f := strings.Fields(l); len(f) > 0 && f[0] == id {
					found = true
					if got := strings.TrimSpace(strings.TrimPrefix(l, id)); got != line {
						t.Errorf("verify %v: %s is %q, want %q", args, id, got, line)
					}
				}
			}
			if !found {
				t.Errorf("verify %v: no line for %s:\n%s", args, id, stdout)
			}
		}
		return stdout
	}
	verify(0, map[string]string{"tab1-dynamics": "ok", "fig6-2d": "ok"}, dir)

	// An edited parameter.
	var m map[string]any
	if err := json.Unmarshal(sc, &m); err != nil {
		t.Fatal(err)
	}
	m["parameters"] = map[string]any{"edited": true}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "fig6-2d.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	verify(1, map[string]string{"tab1-dynamics": "ok", "fig6-2d": "stale: parameters changed"}, dir)

	// A deleted output; the JSON says the same.
	if err := os.Remove(filepath.Join(dir, "tab1-dynamics.csv")); err != nil {
		t.Fatal(err)
	}
	verify(1, map[string]string{"tab1-dynamics": "missing: tab1-dynamics.csv", "fig6-2d": "stale: parameters changed"}, dir)
	var rep figures.VerifyReport
	if err := json.Unmarshal([]byte(verify(1, nil, "--json", dir)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Artifacts) != 2 || rep.OK || rep.Artifacts[0].Status != figures.StatusMissing || rep.Artifacts[1].Status != figures.StatusStale ||
		rep.Artifacts[1].Changed[0].Name != figures.InputParameters || rep.Summary[figures.StatusOK] != 0 {
		t.Errorf("--json report %+v", rep)
	}

	// A malformed sidecar: one line naming it.
	if err := os.WriteFile(filepath.Join(dir, "fig6-2d.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := verify(1, nil, dir); !strings.Contains(out, "  invalid: fig6-2d.json: not a sidecar: ") {
		t.Errorf("malformed sidecar:\n%s", out)
	}

	// Bad DIR: one line, exit 1; two directories: usage error.
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"verify", filepath.Join(dir, "absent")}, 1, "no such file"},
		{[]string{"verify", filepath.Join(dir, "fig6-2d.json")}, 1, "is not a directory"},
		{[]string{"verify", dir, "--json", dir}, 2, "one directory at most"},
		{[]string{"verify", "--only", "nope", dir}, 2, "valid IDs"},
	} {
		code, _, stderr := runChild(t, c.args...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if code != c.code || !strings.Contains(lines[0], c.want) || c.code == 1 && len(lines) != 1 {
			t.Errorf("tokendyn %s: exit %d (want %d), stderr %q (want %q in the first line)", strings.Join(c.args, " "), code, c.code, stderr, c.want)
		}
	}
}
