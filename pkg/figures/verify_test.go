package figures

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/repo"
	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// statuses is Verify's line of every artifact, by ID.
func statuses(t *testing.T, o VerifyOptions) map[string]string {
	t.Helper()
	rep, err := Verify(o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range rep.Artifacts {
		out[a.ID] = a.Line()
	}
	return out
}

// wantStatuses checks that every artifact of reg has status line ok
// except those of want.
func wantStatuses(t *testing.T, what string, got map[string]string, reg []Artifact, want map[string]string) {
	t.Helper()
	for _, a := range reg {
		w, ok := want[a.ID]
		if !ok {
			w = "ok"
		}
		if got[a.ID] != w {
			t.Errorf("%s: %s is %q, want %q", what, a.ID, got[a.ID], w)
		}
	}
}

// editSidecar rewrites the sidecar of id in dir through edit of its JSON
// object, indented as Build writes it.
func editSidecar(t *testing.T, dir, id string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, id+".json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.MarshalIndent(m, "", "\t"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A quick build of the theory artifacts verifies ok against this checkout;
// its sidecars record the code digest of the checkout, the digest of their
// parameters and the command. Re-indenting a sidecar keeps it ok; an
// edited parameter makes exactly that artifact stale; a deleted output, or
// sidecar, is missing; a malformed sidecar is invalid; a file for DIR is an
// error.
func TestVerifyTheoryBuild(t *testing.T) {
	reg := theoryArtifacts()
	dir := t.TempDir()
	const command = "tokendyn figures --quick"
	if _, err := Build(context.Background(), Options{Experiments: testSource(), OutDir: dir, NoHTML: true, Quick: true,
		Registry: reg, Command: command, Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
	code, err := repo.CodeDigest(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range reg {
		b, err := os.ReadFile(filepath.Join(dir, a.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var sc struct {
			Parameters json.RawMessage
			Provenance Provenance
		}
		if err := json.Unmarshal(b, &sc); err != nil {
			t.Fatal(err)
		}
		p := sc.Provenance
		pd, err := ParamsDigest(sc.Parameters)
		if err != nil {
			t.Fatal(err)
		}
		want := []Input{{InputCode, code}, {InputParameters, pd}}
		if p.Command != command || p.Commit != Unknown || len(p.Inputs) != 2 || p.Inputs[0] != want[0] || p.Inputs[1] != want[1] {
			t.Errorf("%s: provenance %+v, want command %q, commit %q (a test binary has no VCS information), inputs %v",
				a.ID, p, command, Unknown, want)
		}
	}
	o := VerifyOptions{Dir: dir, Root: repoRoot, Registry: reg}
	wantStatuses(t, "fresh build", statuses(t, o), reg, nil)

	// Another indentation and key order of the same values: still ok.
	first, second := reg[0].ID, reg[1].ID
	editSidecar(t, dir, first, func(map[string]any) {})
	wantStatuses(t, "re-indented sidecar", statuses(t, o), reg, nil)

	// One parameter changed: that artifact is stale, no other.
	editSidecar(t, dir, first, func(m map[string]any) {
		p := m["parameters"].(map[string]any)
		keys := make([]string, 0, len(p))
		for k := range p {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		p[keys[0]] = "edited"
	})
	wantStatuses(t, "edited parameters", statuses(t, o), reg, map[string]string{first: "stale: parameters changed"})

	// A deleted output is missing; so is a deleted sidecar.
	rep, err := Verify(o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.Summary[StatusStale] != 1 || rep.Summary[StatusOK] != len(reg)-1 {
		t.Errorf("report %+v: want one stale, the rest ok, not OK", rep.Summary)
	}
	var out string
	for _, a := range reg {
		if a.ID == second {
			sc, err := readSidecar(filepath.Join(dir, second+".json"))
			if err != nil {
				t.Fatal(err)
			}
			out = sc.Files[0]
		}
	}
	if err := os.Remove(filepath.Join(dir, out)); err != nil {
		t.Fatal(err)
	}
	third := reg[2].ID
	if err := os.Remove(filepath.Join(dir, third+".json")); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, "deleted files", statuses(t, o), reg, map[string]string{
		first: "stale: parameters changed", second: "missing: " + out, third: "missing: " + third + ".json"})

	// A malformed sidecar is invalid, named, and the others still checked.
	fourth := reg[3].ID
	if err := os.WriteFile(filepath.Join(dir, fourth+".json"), []byte(`{"id": "`+fourth+`", "files": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	got := statuses(t, o)
	if !strings.HasPrefix(got[fourth], "invalid: "+fourth+".json: ") {
		t.Errorf("malformed sidecar: %q", got[fourth])
	}
	if rep, err := Verify(o); err != nil || rep.OK || rep.Summary[StatusInvalid] != 1 {
		t.Errorf("malformed sidecar: %v %+v", err, rep)
	}

	// DIR is a file, or absent: an error naming it.
	for _, d := range []string{filepath.Join(dir, fourth+".json"), filepath.Join(dir, "absent")} {
		if _, err := Verify(VerifyOptions{Dir: d, Root: repoRoot, Registry: reg}); err == nil || !strings.Contains(err.Error(), d) {
			t.Errorf("Verify of %s: %v", d, err)
		}
	}

	// A build outside a checkout (no code digest) is unverifiable.
	editSidecar(t, dir, reg[4].ID, func(m map[string]any) {
		for _, in := range m["provenance"].(map[string]any)["inputs"].([]any) {
			if in := in.(map[string]any); in["name"] == InputCode {
				in["digest"] = Unknown
			}
		}
	})
	if got := statuses(t, o)[reg[4].ID]; !strings.HasPrefix(got, "unverifiable: code: ") {
		t.Errorf("a build outside a checkout is %q, want unverifiable", got)
	}
}

// experimentFixture is a repository root holding a small stored result of
// each experiment for the specifications the quick artifacts ask for,
// their current-result pointers and pre-registrations, and the source
// that returns them.
type experimentFixture struct {
	root string
	lm   *lm.Result
	ro   *reorder.Result
}

func (f experimentFixture) LM(_ context.Context, spec lm.Spec, _ func(int, int), _ io.Writer) (*lm.Result, error) {
	return f.lm, nil
}

func (f experimentFixture) Reorder(_ context.Context, spec reorder.Spec, _ func(int, int), _ io.Writer) (*reorder.Result, error) {
	return f.ro, nil
}

func (f experimentFixture) RepoRoot() (string, error) { return f.root, nil }

func fakeKey(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func newExperimentFixture(t *testing.T) experimentFixture {
	t.Helper()
	f := experimentFixture{root: t.TempDir(), lm: wt103TestResult(t), ro: reorderTestResult(t)}
	f.lm.Key, f.lm.Data = fakeKey("lm"), "lm data"
	f.ro.Key = fakeKey("reorder")
	ls, rs := lm.Quick(), reorder.Quick()
	lj, err := ls.SpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	rj, err := rs.SpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		name string
		spec []byte
		key  string
		v    any
	}{{ls.Name, lj, f.lm.Key, f.lm}, {reorder.CacheName, rj, f.ro.Key, f.ro}} {
		if err := experiment.StoreCache(experiment.CachePath(f.root, e.name, e.key), e.v); err != nil {
			t.Fatal(err)
		}
		if err := experiment.WriteCurrent(f.root, e.name, e.spec, e.key); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{ls.Prereg, rs.Prereg} {
		b, err := os.ReadFile(filepath.Join(repoRoot, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(f.root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.root, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// The experiment artifacts built from small stored results record the
// result file, the key, the data digest and the pre-registration, and
// verify ok; one byte of the reordering result file makes exactly the
// reordering artifacts stale, naming the file; the LM experiment run again
// under another key (its pointer moved) makes exactly the LM artifacts
// stale, naming the key; an edited pre-registration names itself.
func TestVerifyExperimentArtifacts(t *testing.T) {
	f := newExperimentFixture(t)
	var lmReg, roReg []Artifact
	for _, a := range All() {
		switch {
		case strings.HasPrefix(a.Notebook, wt103Notebook):
			lmReg = append(lmReg, a)
		case strings.HasPrefix(a.Notebook, reorderNotebook):
			roReg = append(roReg, a)
		}
	}
	if len(lmReg) != 4 || len(roReg) != 4 {
		t.Fatalf("%d LM and %d reordering artifacts, want 4 and 4", len(lmReg), len(roReg))
	}
	reg := append(append([]Artifact{}, lmReg...), roReg...)
	dir := t.TempDir()
	if _, err := Build(context.Background(), Options{Experiments: f, OutDir: dir, NoHTML: true, Quick: true,
		Registry: reg, Command: "tokendyn figures --quick", Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(f.root, p)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}
	ls, rs := lm.Quick(), reorder.Quick()
	lj, _ := ls.SpecJSON()
	lmFile := rel(experiment.CachePath(f.root, ls.Name, f.lm.Key))
	roFile := rel(experiment.CachePath(f.root, reorder.CacheName, f.ro.Key))
	lmCurrent := rel(experiment.CurrentPath(f.root, ls.Name, lj))
	for _, a := range lmReg {
		sc, err := os.ReadFile(filepath.Join(dir, a.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var s struct{ Provenance Provenance }
		if err := json.Unmarshal(sc, &s); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, in := range s.Provenance.Inputs {
			names = append(names, in.Name)
			if in.Name == InputKey+lmCurrent && in.Digest != f.lm.Key || in.Name == InputData+lmFile && in.Digest != f.lm.Data {
				t.Errorf("%s: input %s is %s", a.ID, in.Name, in.Digest)
			}
		}
		want := []string{InputCode, InputData + lmFile, InputFile + lmFile, InputFile + ls.Prereg, InputKey + lmCurrent, InputParameters}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("%s: inputs\n%v\nwant\n%v", a.ID, names, want)
		}
	}
	o := VerifyOptions{Dir: dir, Root: f.root, Registry: reg}
	wantStatuses(t, "fresh build", statuses(t, o), reg, nil)

	// One byte of the reordering result (a newline made a space: the same
	// JSON, another file).
	p := filepath.Join(f.root, filepath.FromSlash(roFile))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.IndexByte(b, '\n')
	b[i] = ' '
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stale := map[string]string{}
	for _, a := range roReg {
		stale[a.ID] = "stale: " + InputFile + roFile + " changed"
	}
	wantStatuses(t, "edited result file", statuses(t, o), reg, stale)

	// The LM experiment stored under another key since.
	if err := experiment.WriteCurrent(f.root, ls.Name, lj, fakeKey("lm again")); err != nil {
		t.Fatal(err)
	}
	for _, a := range lmReg {
		stale[a.ID] = "stale: " + InputKey + lmCurrent + " changed"
	}
	wantStatuses(t, "moved pointer", statuses(t, o), reg, stale)

	// The reordering pre-registration edited.
	pp := filepath.Join(f.root, rs.Prereg)
	pb, err := os.ReadFile(pp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pp, append(pb, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, a := range roReg {
		stale[a.ID] = "stale: " + InputFile + roFile + ", " + InputFile + rs.Prereg + " changed"
	}
	wantStatuses(t, "edited pre-registration", statuses(t, o), reg, stale)

	// The result file gone: stale, not missing (missing is for outputs).
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	for _, a := range roReg {
		stale[a.ID] = "stale: " + InputData + roFile + ", " + InputFile + roFile + ", " + InputFile + rs.Prereg + " changed"
	}
	wantStatuses(t, "deleted result file", statuses(t, o), reg, stale)
}

// The parameters' digest ignores layout and key order, not values.
func TestParamsDigest(t *testing.T) {
	a, err := ParamsDigest([]byte(`{"b": [1, 2.5e-7, "x<y"], "a": {"d": true, "c": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParamsDigest([]byte("{\"a\":{\"c\":null,\"d\":true},\n\t\"b\":[1,2.5e-7,\"x\\u003cy\"]}"))
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the same parameters laid out otherwise have another digest")
	}
	c, err := ParamsDigest([]byte(`{"b": [1, 2.5e-8, "x<y"], "a": {"d": true, "c": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c == a {
		t.Error("another value, the same digest")
	}
	for _, bad := range []string{``, `{`, `{} {}`, `nul`} {
		if _, err := ParamsDigest([]byte(bad)); err == nil {
			t.Errorf("ParamsDigest(%q): no error", bad)
		}
	}
}
