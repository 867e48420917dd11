package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
)

// The current result of a specification. The runner (pkg/experiment/runner)
// computes a result's cache key, which needs the numerics fingerprint and so
// the training code; readers such as the figures do not link that code.
// Each time the runner validates or stores the result of a specification
// it records the key's hash in
//
//	ROOT/.cache/experiments/NAME-spec-SHA256(SPEC)[:16].current
//
// where SPEC is the specification's JSON as it enters the key. A reader
// finds the result of the specification it wants there and validates it
// against that specification; `tokendyn experiment NAME` (which make
// figures runs first) keeps it current.

// CurrentPath is the file that names the current result of spec.
func CurrentPath(root, name string, spec []byte) string {
	s := sha256.Sum256(spec)
	return filepath.Join(root, ".cache", "experiments", name+"-spec-"+hex.EncodeToString(s[:8])+".current")
}

// WriteCurrent records hash as the current result of spec (atomically).
func WriteCurrent(root, name string, spec []byte, hash string) error {
	if len(hash) != 64 {
		return fmt.Errorf("experiment: current result: key hash %q is not a SHA-256", hash)
	}
	p := CurrentPath(root, name, spec)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("experiment: current result: %w", err)
	}
	if err := atomicfile.WriteBytes(p, []byte(hash+"\n")); err != nil {
		return fmt.Errorf("experiment: current result: %w", err)
	}
	return nil
}

// ReadCurrent returns the key hash of the current result of spec, ok false
// when none was recorded.
func ReadCurrent(root, name string, spec []byte) (hash string, ok bool, err error) {
	p := CurrentPath(root, name, spec)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("experiment: %w", err)
	}
	h := strings.TrimSpace(string(b))
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return "", false, fmt.Errorf("experiment: %s does not hold a key hash", p)
	}
	return h, true, nil
}
