package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/internal/echartsjs"
	"github.com/tokendyn/tokendyn/pkg/figures"
)

// modulePath is this repository's Go module, used to recognise its root.
const modulePath = "github.com/tokendyn/tokendyn"

// envECharts names the echarts.min.js to use when --echarts is not given
// (the notebooks read the same variable, pkg/notebook.FindECharts).
const envECharts = "TOKENDYN_ECHARTS"

// echartsSource is where `tokendyn figures` takes the echarts bundle from.
type echartsSource struct {
	Path     string // a file to read and verify; "" with Embedded or none
	Embedded []byte // the copy built into the binary (-tags embedassets)
	From     string // how it was found, for messages
}

// none reports that no bundle was found: the HTML pages are then skipped.
func (s echartsSource) none() bool { return s.Path == "" && s.Embedded == nil }

// findECharts decides where the echarts bundle comes from, in order:
// flag (--echarts), then $TOKENDYN_ECHARTS, then the copy embedded in the
// binary, then echarts.min.js next to the executable, then the npm copy at
// the root of this module found walking up from the executable's directory
// and then from the working directory. An explicit flag or variable naming
// a missing file is an error; finding nothing is not (none() is true).
// The working directory matters only as the last place searched.
func findECharts(flag, env string, embedded func() ([]byte, error), exe, wd string) (echartsSource, error) {
	if flag != "" {
		return echartsSource{Path: flag, From: "--echarts"}, nil
	}
	if env != "" {
		if _, err := os.Stat(env); err != nil {
			return echartsSource{}, fmt.Errorf("%s=%s: %w", envECharts, env, err)
		}
		return echartsSource{Path: env, From: "$" + envECharts}, nil
	}
	if b, err := embedded(); err != nil {
		return echartsSource{}, err
	} else if b != nil {
		return echartsSource{Embedded: b, From: "embedded"}, nil
	}
	if exe != "" {
		if p := filepath.Join(filepath.Dir(exe), "echarts.min.js"); isFile(p) {
			return echartsSource{Path: p, From: "next to the executable"}, nil
		}
	}
	for _, start := range []string{filepath.Dir(exe), wd} {
		if start == "." || start == "" {
			continue
		}
		if root := moduleRoot(start); root != "" {
			if p := filepath.Join(root, filepath.FromSlash(figures.DefaultEChartsJS)); isFile(p) {
				return echartsSource{Path: p, From: "module root " + root}, nil
			}
		}
	}
	return echartsSource{}, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// executable is os.Executable with symbolic links resolved ("" when
// unknown), so that a link in ~/bin still finds the checkout.
func executable() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// noEChartsWarning is the one line printed when the HTML pages are skipped.
const noEChartsWarning = "tokendyn figures: warning: no echarts bundle found (not embedded, no --echarts, no $" + envECharts +
	", none next to the executable or in this module's node_modules): writing PNG, SVG, PDF and JSON, skipping the HTML pages; " +
	"`make tokendyn` builds a binary with the bundle embedded"

// embeddedECharts is echartsjs.Embedded, replaceable in tests.
var embeddedECharts = echartsjs.Embedded
