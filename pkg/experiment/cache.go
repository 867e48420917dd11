package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
)

// The result cache of an experiment. A result is stored under
//
//	ROOT/.cache/experiments/NAME-HASH[:16].json
//
// where HASH is the SHA-256 of Key: the specification (what is run), the
// digest of the data (what it is run on) and a numerics fingerprint (what
// the code computes). The fingerprint is the hash of the numbers a short
// deterministic run of the same code path produces (its loss trajectory and
// final weights, Fingerprint), so an edit that changes no number — a
// comment, a rename, a refactoring — keeps the cache, while any change to
// the arithmetic, the initialization, the data order or the CPU kernel that
// the numbers depend on invalidates it.

// Key identifies a cached result.
type Key struct {
	Spec     json.RawMessage `json:"spec"`
	Data     string          `json:"data"`
	Numerics string          `json:"numerics"`
}

// Hash is the SHA-256 of the key's JSON, in hex.
func (k Key) Hash() string {
	b, _ := json.Marshal(k)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// CachePath is where the result of experiment name with key hash lives.
func CachePath(root, name, hash string) string {
	return filepath.Join(root, ".cache", "experiments", name+"-"+hash[:16]+".json")
}

// Fingerprint hashes the exact bits of the given float64 series (each
// prefixed by its length), in order, to hex SHA-256.
func Fingerprint(series ...[]float64) string {
	h := sha256.New()
	var b [8]byte
	for _, s := range series {
		binary.LittleEndian.PutUint64(b[:], uint64(len(s)))
		h.Write(b[:])
		for _, v := range s {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LoadCache reads the result at path into v and checks it with validate
// (field by field: the experiment's own rule). It returns (false, nil) when
// there is no file, (true, nil) for a valid result, and (false, err) with
// err naming the file and the defect for anything else, which the caller
// reports ("cache FILE is invalid: …; recomputing") before recomputing.
func LoadCache(path string, v any, validate func() error) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("cache %s is unreadable: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return false, fmt.Errorf("cache %s is invalid: %w", path, err)
	}
	if dec.More() {
		return false, fmt.Errorf("cache %s is invalid: trailing data after the result", path)
	}
	if err := validate(); err != nil {
		return false, fmt.Errorf("cache %s is invalid: %w", path, err)
	}
	return true, nil
}

// StoreCache writes v as indented JSON to path atomically, creating the
// directory.
func StoreCache(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return fmt.Errorf("experiment: cache %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("experiment: cache: %w", err)
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}
