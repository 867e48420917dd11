// Package echartsjs pins the echarts bundle that the interactive figures
// load: its version, the npm tarball it comes from (package-lock.json's
// integrity), the SHA-256 of its dist/echarts.min.js, and, in a binary built
// with -tags embedassets (as `make tokendyn` does), the bundle itself.
//
// The bundle is third-party code and is never committed: `make tokendyn`
// copies node_modules/echarts/dist/echarts.min.js (installed by `npm ci`)
// into dist/ (gitignored), checks it with `sha256sum -c echarts.min.js.sha256`
// and builds with the tag; Embedded checks it again at run time.
package echartsjs

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strings"
)

// Version is the echarts release the HTML figures are written for
// (go-echarts v2.7.2 targets it).
const Version = "5.4.3"

// LockIntegrity is package-lock.json's integrity of the echarts Version
// tarball whose dist/echarts.min.js has the recorded SHA-256. A test keeps
// it equal to the lock, so bumping echarts in the lock without re-recording
// the checksum fails.
const LockIntegrity = "sha512-mYKxLxhzy6zyTi/FaEbJMOZU1ULGEQHaeIeuMR5L+JnJTpz+YR03mnnpBhbR4+UYJAgiXgpyTVLffPAjOTLkZA=="

// sumFile is echarts.min.js.sha256, in `sha256sum` format: the one record of
// the checksum, read by the Makefile (sha256sum -c) and by Verify.
//
//go:embed echarts.min.js.sha256
var sumFile string

// SHA256 returns the recorded SHA-256 of echarts Version's
// dist/echarts.min.js, in lowercase hex.
func SHA256() string {
	f := strings.Fields(sumFile)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Verify checks that b is echarts Version's echarts.min.js: its version
// string and its SHA-256.
func Verify(b []byte) error {
	if !bytes.Contains(b, []byte(`version="`+Version+`"`)) {
		return fmt.Errorf("not echarts %s's echarts.min.js (no version=%q in it)", Version, Version)
	}
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), SHA256(); got != want {
		return fmt.Errorf("not the echarts %s echarts.min.js of package-lock.json (SHA-256 %s, want %s)", Version, got, want)
	}
	return nil
}
