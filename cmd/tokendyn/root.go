package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// checkoutRoot is the root of this repository's checkout, where the
// experiment cache, the committed results and the sources live: the first
// directory at or above the working directory whose go.mod declares this
// module, else the one at or above the executable, so that a binary built
// into the checkout (make tokendyn: build/bin/tokendyn) finds it from any
// directory.
func checkoutRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	if r := moduleRoot(wd); r != "" {
		return r, nil
	}
	if exe := executable(); exe != "" {
		if r := moduleRoot(filepath.Dir(exe)); r != "" {
			return r, nil
		}
	}
	return "", fmt.Errorf("no checkout of %s above %s or above the executable: the experiment cache and the committed results need the source tree", modulePath, wd)
}

// moduleRoot returns the first directory at or above dir whose go.mod
// declares this module, or "".
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if declaresModule(filepath.Join(d, "go.mod")) {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func declaresModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == modulePath
		}
	}
	return false
}
