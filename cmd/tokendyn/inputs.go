package main

import (
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
)

// checkOutputs refuses, before any long computation, an output path that
// is not a regular file or is one of the command's inputs (atomicfile.Check
// with NotOver: compared with os.SameFile, so a symlink, a hard link or a
// path through a symlinked directory to an input is caught).
func checkOutputs(outputs, inputs []string) error {
	for _, o := range outputs {
		if err := atomicfile.Check(o, atomicfile.NotOver(inputs...)); err != nil {
			return err
		}
	}
	return nil
}

// filesIn lists the regular files directly in dir (none when dir cannot be
// read): the input files of a data directory.
func filesIn(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}
