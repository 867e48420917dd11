package figures

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/internal/repo"
)

// Status is what Verify finds of one artifact.
type Status string

const (
	StatusOK           Status = "ok"           // every file is there and every input is unchanged
	StatusStale        Status = "stale"        // an input changed since the artifact was built
	StatusMissing      Status = "missing"      // its sidecar or a file the sidecar lists is gone
	StatusInvalid      Status = "invalid"      // its sidecar cannot be read as one
	StatusUnverifiable Status = "unverifiable" // an input cannot be recomputed (no checkout, no provenance)
)

// VerifyOptions configure Verify.
type VerifyOptions struct {
	Dir      string     // the output directory of Build; "" means "figures"
	Root     string     // the repository root; "" means the module root above the working directory
	Registry []Artifact // the artifacts to verify; nil means All()
	Only     []string   // artifact IDs to verify; nil verifies every artifact
}

// VerifyReport is what Verify found, artifact by artifact in registry order.
type VerifyReport struct {
	Dir       string           `json:"dir"`
	Code      string           `json:"code"` // the checkout's code digest (Unknown without one)
	Artifacts []ArtifactStatus `json:"artifacts"`
	Summary   map[Status]int   `json:"summary"` // artifacts per status (every status, zeros included)
	OK        bool             `json:"ok"`      // nothing stale, missing or invalid
}

// ArtifactStatus is one artifact's status and why.
type ArtifactStatus struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	// Detail is the status line after the status: the missing files, the
	// changed inputs, the defect of the sidecar, what cannot be checked;
	// "" when ok.
	Detail       string        `json:"detail,omitempty"`
	Missing      []string      `json:"missing,omitempty"`      // files (relative to Dir) that are gone
	Changed      []InputChange `json:"changed,omitempty"`      // inputs whose digest differs
	Unverifiable []string      `json:"unverifiable,omitempty"` // inputs that cannot be recomputed, and why
}

// InputChange is an input whose current digest differs from the recorded
// one; Current is "" when the input is gone.
type InputChange struct {
	Name     string `json:"name"`
	Recorded string `json:"recorded"`
	Current  string `json:"current"`
}

// Line is the artifact's status line after its ID: "ok", "stale: parameters
// changed", "missing: fig6-2d.png".
func (s ArtifactStatus) Line() string {
	if s.Detail == "" {
		return string(s.Status)
	}
	return string(s.Status) + ": " + s.Detail
}

// SummaryLine is the report in one line: "15 artifacts in figures: 14 ok,
// 1 stale, 0 missing" (and the unverifiable and invalid ones when there are
// any).
func (r *VerifyReport) SummaryLine() string {
	noun := "artifacts"
	if len(r.Artifacts) == 1 {
		noun = "artifact"
	}
	s := fmt.Sprintf("%d %s in %s: %d ok, %d stale, %d missing", len(r.Artifacts), noun, r.Dir,
		r.Summary[StatusOK], r.Summary[StatusStale], r.Summary[StatusMissing])
	for _, st := range []Status{StatusInvalid, StatusUnverifiable} {
		if n := r.Summary[st]; n > 0 {
			s += fmt.Sprintf(", %d %s", n, st)
		}
	}
	return s
}

// Verify checks the artifacts of o.Registry built into o.Dir against the
// checkout at o.Root, without computing any artifact or training anything:
// for each one, that its sidecar and every file it lists exist, and that
// every input its provenance records has the digest it had: the
// parameters' digest recomputed from the sidecar, the code digest from
// the checkout, each file's SHA-256 from the file, the experiment's key
// from the specification's current-result pointer and the data digest from
// the stored result. An artifact built outside a checkout (code Unknown),
// or checked without one, is unverifiable, not stale. The error is for
// what prevents any check: a Dir that is not a directory, a bad registry.
func Verify(o VerifyOptions) (*VerifyReport, error) {
	_, sel, err := selectChecked(o.Registry, o.Only)
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	if dir == "" {
		dir = "figures"
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("verify: %s is not a directory", dir)
	}
	root := o.Root
	if root == "" {
		if r, err := repo.ModuleRoot("."); err == nil {
			root = r
		}
	}
	v := &verifier{root: root, code: CodeDigest(root), files: map[string]fileState{}}
	rep := &VerifyReport{Dir: dir, Code: v.code, Summary: map[Status]int{}}
	for _, st := range []Status{StatusOK, StatusStale, StatusMissing, StatusInvalid, StatusUnverifiable} {
		rep.Summary[st] = 0
	}
	for _, a := range sel {
		s := v.artifact(dir, a.ID)
		rep.Artifacts = append(rep.Artifacts, s)
		rep.Summary[s.Status]++
	}
	rep.OK = rep.Summary[StatusStale] == 0 && rep.Summary[StatusMissing] == 0 && rep.Summary[StatusInvalid] == 0
	return rep, nil
}

// verifier holds what the artifacts of one Verify share: the checkout's
// root and code digest, and the files already read.
type verifier struct {
	root, code string
	files      map[string]fileState
}

// fileState is a file of the checkout: its SHA-256 and its bytes, or the
// error reading it.
type fileState struct {
	sum  string
	data []byte
	err  error
}

// file reads rel (relative to the root) once per Verify.
func (v *verifier) file(rel string) fileState {
	if f, ok := v.files[rel]; ok {
		return f
	}
	var f fileState
	f.data, f.err = os.ReadFile(filepath.Join(v.root, filepath.FromSlash(rel)))
	if f.err == nil {
		f.sum = sha256Hex(f.data)
	}
	v.files[rel] = f
	return f
}

// storedSidecar is what Verify reads of a sidecar.
type storedSidecar struct {
	ID         string          `json:"id"`
	Parameters json.RawMessage `json:"parameters"`
	Files      []string        `json:"files"`
	Provenance *Provenance     `json:"provenance"`
}

// artifact checks the artifact id built into dir.
func (v *verifier) artifact(dir, id string) ArtifactStatus {
	s := ArtifactStatus{ID: id}
	name := id + ".json"
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		s.Status, s.Missing, s.Detail = StatusMissing, []string{name}, name
		return s
	}
	invalid := func(format string, args ...any) ArtifactStatus {
		s.Status, s.Detail = StatusInvalid, name+": "+fmt.Sprintf(format, args...)
		return s
	}
	if err != nil {
		return invalid("%v", err)
	}
	var sc storedSidecar
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&sc); err != nil {
		return invalid("not a sidecar: %v", err)
	}
	if dec.More() {
		return invalid("not a sidecar: trailing data")
	}
	switch {
	case sc.ID != id:
		return invalid("the sidecar of %q", sc.ID)
	case len(sc.Files) == 0:
		return invalid("lists no file")
	case len(sc.Parameters) == 0:
		return invalid("has no parameters")
	}
	for _, f := range sc.Files {
		if !filepath.IsLocal(f) {
			return invalid("lists the file %q outside the directory", f)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			s.Missing = append(s.Missing, f)
		}
	}
	if sc.Provenance == nil {
		s.Unverifiable = append(s.Unverifiable, "no provenance (the sidecar predates it)")
	} else {
		for _, in := range sc.Provenance.Inputs {
			cur, why, err := v.current(in.Name, sc.Parameters)
			switch {
			case err != nil:
				return invalid("input %q: %v", in.Name, err)
			case why != "":
				s.Unverifiable = append(s.Unverifiable, in.Name+": "+why)
			case in.Digest == Unknown:
				s.Unverifiable = append(s.Unverifiable, in.Name+": not recorded (built outside a checkout)")
			case cur != in.Digest:
				s.Changed = append(s.Changed, InputChange{Name: in.Name, Recorded: in.Digest, Current: cur})
			}
		}
	}
	switch {
	case len(s.Missing) > 0:
		s.Status, s.Detail = StatusMissing, strings.Join(s.Missing, ", ")
	case len(s.Changed) > 0:
		names := make([]string, len(s.Changed))
		for i, c := range s.Changed {
			names[i] = c.Name
		}
		s.Status, s.Detail = StatusStale, strings.Join(names, ", ")+" changed"
	case len(s.Unverifiable) > 0:
		s.Status, s.Detail = StatusUnverifiable, strings.Join(s.Unverifiable, "; ")
	default:
		s.Status = StatusOK
	}
	return s
}

// current is the current digest of the input name of an artifact with
// parameters params; why says why it cannot be recomputed (no checkout, an
// input kind this version does not know); err is a malformed name.
func (v *verifier) current(name string, params json.RawMessage) (digest, why string, err error) {
	if name == InputParameters {
		d, err := ParamsDigest(params)
		return d, "", err
	}
	if name == InputCode {
		if v.code == Unknown {
			return "", "no checkout to recompute it from", nil
		}
		return v.code, "", nil
	}
	kind, path, ok := strings.Cut(name, ":")
	if !ok {
		return "", "an input this version does not know", nil
	}
	switch kind + ":" {
	case InputFile, InputKey, InputData:
	default:
		return "", "an input this version does not know", nil
	}
	if !filepath.IsLocal(filepath.FromSlash(path)) {
		return "", "", fmt.Errorf("path %q is not inside the repository", path)
	}
	if v.root == "" {
		return "", "no checkout to read it from", nil
	}
	f := v.file(path)
	if f.err != nil {
		return "", "", nil // gone: "" differs from any recorded digest
	}
	switch kind + ":" {
	case InputFile:
		return f.sum, "", nil
	case InputKey:
		return strings.TrimSpace(string(f.data)), "", nil
	default: // InputData
		var r struct {
			Data string `json:"data_digest"`
		}
		if json.Unmarshal(f.data, &r) != nil {
			return "", "", nil // not a result any more: changed
		}
		return r.Data, "", nil
	}
}
