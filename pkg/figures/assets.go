package figures

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/echartsjs"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// DefaultEChartsJS is where `npm ci` at the repository root puts the echarts
// bundle that go-echarts v2.7.2 targets.
const DefaultEChartsJS = "node_modules/echarts/dist/echarts.min.js"

// EChartsVersion is the echarts release the HTML figures are written for.
const EChartsVersion = echartsjs.Version

// readEChartsJS reads the echarts bundle at path and checks that it is the
// one package-lock.json pins (version string and SHA-256).
func readEChartsJS(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("echarts bundle not found at %s: run `npm ci` at the repository root "+
			"(it installs echarts %s into node_modules) or pass its path with --echarts", path, EChartsVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("echarts bundle: %w", err)
	}
	if err := echartsjs.Verify(b); err != nil {
		return nil, fmt.Errorf("echarts bundle %s: %w", path, err)
	}
	return b, nil
}

// loadECharts returns the bundle of o: o.ECharts verified, or the file at
// o.EChartsJS (DefaultEChartsJS when empty) read and verified.
func loadECharts(o Options) ([]byte, error) {
	if o.ECharts != nil {
		if err := echartsjs.Verify(o.ECharts); err != nil {
			return nil, fmt.Errorf("echarts bundle: %w", err)
		}
		return o.ECharts, nil
	}
	path := o.EChartsJS
	if path == "" {
		path = DefaultEChartsJS
	}
	return readEChartsJS(path)
}

// writeEChartsJS copies the bundle to <out>/assets/echarts.min.js and
// returns that path relative to out.
func writeEChartsJS(js []byte, out string) (string, error) {
	rel := filepath.ToSlash(filepath.Join(render.AssetsDir, "echarts.min.js"))
	dir := filepath.Join(out, render.AssetsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	if err := atomicfile.WriteBytes(filepath.Join(out, rel), js); err != nil {
		return "", err
	}
	return rel, nil
}
