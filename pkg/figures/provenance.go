package figures

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"sort"

	"github.com/tokendyn/tokendyn/internal/repo"
	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// Unknown is the value of a provenance field that could not be found out:
// a binary without VCS information, a run outside the checkout.
const Unknown = "unknown"

// Provenance is the sidecar's record of what made an artifact, so that
// `tokendyn verify` can tell a stale artifact from a fresh one. Two runs of
// the same command on the same checkout record the same provenance.
type Provenance struct {
	// Commit is the VCS revision of the binary (vcs.revision of
	// runtime/debug.ReadBuildInfo) with the suffix "-dirty" when the tree
	// it was built from had local changes (vcs.modified), or Unknown when
	// the binary carries no VCS information (go test, go run, -buildvcs=false).
	// It is for the reader; verify compares the code digest instead.
	Commit string `json:"commit"`
	// Command is the command line that made the artifact, as the caller
	// gave it (Options.Command), or Unknown.
	Command string `json:"command"`
	// Inputs are what the artifact was computed from, sorted by name.
	Inputs []Input `json:"inputs"`
}

// Input is one thing an artifact was computed from and its digest. The
// name says what it is:
//
//	code          CodeDigest of the repository root (Unknown outside a checkout)
//	parameters    ParamsDigest of the sidecar's parameters
//	file:PATH     the hex SHA-256 of the file PATH (relative to the repository
//	              root, slash-separated): the stored result an experiment
//	              artifact drew, the pre-registration that decides it
//	key:PATH      the experiment's cache key (Result.Key), which the pointer
//	              PATH to the specification's current result names
//	              (experiment.CurrentPath): it moves when the experiment is
//	              run again under another key
//	data:PATH     the digest of the experiment's data as the stored result
//	              PATH records it (its "data_digest")
type Input struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// The names and name prefixes of the inputs.
const (
	InputCode       = "code"
	InputParameters = "parameters"
	InputFile       = "file:"
	InputKey        = "key:"
	InputData       = "data:"
)

// buildCommit is Provenance.Commit of the running binary.
func buildCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Unknown
	}
	rev, dirty := "", false
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			dirty = kv.Value == "true"
		}
	}
	switch {
	case rev == "":
		return Unknown
	case dirty:
		return rev + "-dirty"
	}
	return rev
}

// CodeDigest is repo.CodeDigest of root, or Unknown when root is "" (no
// checkout) or the tree cannot be read.
func CodeDigest(root string) string {
	if root == "" {
		return Unknown
	}
	d, err := repo.CodeDigest(root)
	if err != nil {
		return Unknown
	}
	return d
}

// ParamsDigest is the hex SHA-256 of the canonical JSON of raw (a JSON
// value, the sidecar's "parameters"): object keys sorted, no insignificant
// space, no HTML escaping, numbers as written. Build hashes the parameters
// it writes and verify the ones it reads, so that an edit that changes no
// value (indentation, key order) keeps the digest.
func ParamsDigest(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("parameters: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("parameters: trailing data")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("parameters: %w", err)
	}
	return sha256Hex(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// provenanceContext is what every artifact of one Build shares: the
// binary's commit, the command and the code digest.
type provenanceContext struct {
	commit, command, code string
}

// newProvenanceContext computes the code digest of the repository root of
// source (Unknown when it has none) once for a Build.
func newProvenanceContext(command string, source Experiments) provenanceContext {
	if command == "" {
		command = Unknown
	}
	root, err := source.RepoRoot()
	if err != nil {
		root = ""
	}
	return provenanceContext{commit: buildCommit(), command: command, code: CodeDigest(root)}
}

// provenance is the Provenance of an artifact with parameters params and
// the experiment inputs of res.
func (pc provenanceContext) provenance(res *Result) (Provenance, error) {
	raw, err := json.Marshal(res.Params)
	if err != nil {
		return Provenance{}, fmt.Errorf("parameters: %w", err)
	}
	pd, err := ParamsDigest(raw)
	if err != nil {
		return Provenance{}, err
	}
	in := append([]Input{{InputCode, pc.code}, {InputParameters, pd}}, res.inputs...)
	sort.Slice(in, func(i, j int) bool { return in[i].Name < in[j].Name })
	return Provenance{Commit: pc.commit, Command: pc.command, Inputs: in}, nil
}

// experimentInputs are the inputs of an artifact drawn from the stored
// result of experiment name (its cache entry's file-name stem) with cache
// key key and data digest data, read from source for the specification
// whose key JSON is spec, decided by the pre-registration prereg (relative
// to the repository root; "" none): the result file's SHA-256, the key as
// the specification's current-result pointer names it, the data digest and
// the pre-registration's SHA-256.
func experimentInputs(source Experiments, name string, spec []byte, key, data, prereg string) ([]Input, error) {
	root, err := source.RepoRoot()
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	if len(key) != 64 {
		return nil, fmt.Errorf("provenance: experiment %s: the result has no cache key", name)
	}
	rel := func(path string) (string, error) {
		r, err := filepath.Rel(root, path)
		if err != nil {
			return "", fmt.Errorf("provenance: %w", err)
		}
		return filepath.ToSlash(r), nil
	}
	result, err := rel(experiment.CachePath(root, name, key))
	if err != nil {
		return nil, err
	}
	current, err := rel(experiment.CurrentPath(root, name, spec))
	if err != nil {
		return nil, err
	}
	sum, err := repo.FileSHA256(filepath.Join(root, filepath.FromSlash(result)))
	if err != nil {
		return nil, fmt.Errorf("provenance: experiment %s: %w", name, err)
	}
	in := []Input{{InputFile + result, sum}, {InputKey + current, key}, {InputData + result, data}}
	if prereg != "" {
		sum, err := repo.FileSHA256(filepath.Join(root, filepath.FromSlash(prereg)))
		if err != nil {
			return nil, fmt.Errorf("provenance: experiment %s: %w", name, err)
		}
		in = append(in, Input{InputFile + prereg, sum})
	}
	return in, nil
}
