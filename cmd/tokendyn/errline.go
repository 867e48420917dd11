package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/data/vision"
)

// dataPackages maps the directories of the Debian data packages the
// experiments read to the package that installs them.
// A missing file is recognised by its directory or its name (a --data
// directory of the user's).
var dataPackages = []struct{ dir, name, pkg string }{
	{filepath.Dir(text.DefaultGCIDEDict), "gcide.", "dict-gcide"},
	{vision.DefaultFashionMNISTDir, "-ubyte", "dataset-fashion-mnist"},
}

// errorLine is the one line printed for err: for a missing file of a Debian
// data package, the file, the package and the command that installs it
// (instead of the wrapped chain "train: reorder: ... open ..."); otherwise
// err's text on one line.
func errorLine(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist) {
		for _, d := range dataPackages {
			if pe.Path == d.dir || strings.HasPrefix(pe.Path, d.dir+"/") || strings.Contains(filepath.Base(pe.Path), d.name) {
				return fmt.Sprintf("%s is missing: it comes with the Debian package %s; install it with "+
					"`sudo apt-get install -y %s` (or `make setup`)", pe.Path, d.pkg, d.pkg)
			}
		}
	}
	return oneLine(err.Error())
}

// ExitInterrupted is the exit status after SIGINT or SIGTERM, once the work
// done is saved: 128 + SIGINT, as shells report an interrupted command.
const ExitInterrupted = 130

// interrupted marks an error as the end of a run cancelled by a signal.
type interrupted struct{ error }

func (e interrupted) Unwrap() error { return e.error }

// exitCode is the exit status for a failed run: ExitInterrupted for an
// interrupted one, 1 otherwise.
func exitCode(err error) int {
	var in interrupted
	if errors.As(err, &in) {
		return ExitInterrupted
	}
	return 1
}
