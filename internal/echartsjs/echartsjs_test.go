package echartsjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

const root = "../../"

// The recorded checksum belongs to the echarts that package-lock.json pins:
// bumping echarts in the lock without re-recording fails here.
func TestLockPinsTheRecordedRelease(t *testing.T) {
	b, err := os.ReadFile(root + "package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct{ Version, Integrity string }
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	e, ok := lock.Packages["node_modules/echarts"]
	if !ok {
		t.Fatal("package-lock.json pins no echarts")
	}
	if e.Version != Version || e.Integrity != LockIntegrity {
		t.Fatalf("package-lock.json pins echarts %s (%s); echartsjs records %s (%s): re-record Version, LockIntegrity "+
			"and echarts.min.js.sha256 from the new package", e.Version, e.Integrity, Version, LockIntegrity)
	}
	if len(SHA256()) != 64 || strings.Trim(SHA256(), "0123456789abcdef") != "" {
		t.Fatalf("echarts.min.js.sha256 holds %q, want 64 lowercase hex digits", SHA256())
	}
	if f := strings.Fields(sumFile); len(f) != 2 || f[1] != "dist/echarts.min.js" {
		t.Fatalf("echarts.min.js.sha256 is %q, want `<sha256>  dist/echarts.min.js` (sha256sum -c format)", sumFile)
	}
}

// The file `npm ci` installs passes; any change to it fails.
func TestVerify(t *testing.T) {
	good, err := os.ReadFile(root + "node_modules/echarts/dist/echarts.min.js")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("echarts not installed: run npm ci at the repository root")
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(good); err != nil {
		t.Fatalf("the installed bundle: %v", err)
	}
	tampered := bytes.Clone(good)
	tampered[len(tampered)/2] ^= 1
	other := bytes.Replace(good, []byte(`version="`+Version+`"`), []byte(`version="5.4.2"`), 1)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"one bit flipped", tampered, "SHA-256"},
		{"another version", other, "no version="},
		{"truncated", good[:len(good)-1], "SHA-256"},
		{"empty", nil, "no version="},
	} {
		if err := Verify(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error naming %s", c.name, err, c.want)
		}
	}
}
