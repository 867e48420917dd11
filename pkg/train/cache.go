package train

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CodeDirs returns the directories (relative to the module root) whose Go
// sources determine an experiment's result: the layer, the network, the trainer and the
// data pipeline. Editing any non-test .go file there invalidates cached
// experiment results.
func CodeDirs() []string { return []string{"pkg/mamba", "pkg/model", "pkg/train", "data"} }

// ModuleRoot walks up from dir to the directory holding go.mod.
func ModuleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("train: module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		p := filepath.Dir(d)
		if p == d {
			return "", fmt.Errorf("train: no go.mod above %s: the experiment cache needs the source tree", dir)
		}
		d = p
	}
}

// CodeVersion hashes the Go sources of CodeDirs under root: SHA-256 over the
// sorted list of (relative path, contents) of every .go file that is not a
// _test.go file. Test files do not change results and are left out.
func CodeVersion(root string) (string, error) {
	h := sha256.New()
	var files []string
	for _, d := range CodeDirs() {
		base := filepath.Join(root, d)
		err := filepath.WalkDir(base, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			files = append(files, path)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			return "", fmt.Errorf("train: code version: %w", err)
		}
	}
	slices.Sort(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("train: code version: %w", err)
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FileDigest returns "size:sha256" of a data file.
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("train: data digest: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", fmt.Errorf("train: data digest of %s: %w", path, err)
	}
	return fmt.Sprintf("%d:%s", n, hex.EncodeToString(h.Sum(nil))), nil
}

// CacheKey is what identifies a cached experiment result: the code version,
// the experiment specification (as JSON) and the digest of the data.
type CacheKey struct {
	Code string          `json:"code"`
	Spec json.RawMessage `json:"spec"`
	Data string          `json:"data"`
}

// Hash is the SHA-256 of the key's canonical JSON.
func (k CacheKey) Hash() string {
	b, _ := json.Marshal(k)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// CachePath is where the result of an experiment named name with key hash
// lives: ROOT/.cache/experiments/NAME-HASH[:16].json.
func CachePath(root, name, hash string) string {
	return filepath.Join(root, ".cache", "experiments", name+"-"+hash[:16]+".json")
}
