package figures

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// WallTimeField is the JSON name of the only sidecar field that differs
// between two runs of the same command (tests drop it before comparing).
const WallTimeField = "wall_time_seconds"

// Sidecar is the JSON file written next to each artifact's outputs
// (<ID>.json): what it reproduces, with which parameters and seed, which
// code and toolchain produced it, and its provenance (the digests of what it
// was computed from, which Verify checks).
type Sidecar struct {
	ID       string `json:"id"`
	Kind     Kind   `json:"kind"`
	Title    string `json:"title"`
	PaperRef string `json:"paper_ref"`
	Scale    string `json:"scale"`
	Notebook string `json:"notebook"`
	Note     string `json:"note,omitempty"`
	Caption  string `json:"caption"`
	Look     string `json:"look"`
	// TitleHTML, CaptionHTML and LookHTML are Title, Caption and Look as
	// HTML, index notation as <sub>/<sup> (render.ScriptHTML), for web pages.
	TitleHTML    string          `json:"title_html"`
	CaptionHTML  string          `json:"caption_html"`
	LookHTML     string          `json:"look_html"`
	Seed         uint64          `json:"seed"`
	Quick        bool            `json:"quick"`
	Parameters   any             `json:"parameters"`
	Files        []string        `json:"files"`
	GoVersion    string          `json:"go_version"`
	Module       ModuleVersion   `json:"module"`
	Dependencies []ModuleVersion `json:"dependencies"`
	Provenance   Provenance      `json:"provenance"`        // what made the artifact (provenance.go)
	WallTime     float64         `json:"wall_time_seconds"` // WallTimeField: computing and rendering, seconds
}

// ModuleVersion is a module path and version from the build information.
type ModuleVersion struct {
	Path    string `json:"path"`
	Version string `json:"version"`
}

// buildModules returns the main module and the dependencies linked into the
// running binary, sorted by path.
func buildModules() (main ModuleVersion, deps []ModuleVersion) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ModuleVersion{Path: "unknown", Version: "unknown"}, []ModuleVersion{}
	}
	main = ModuleVersion{Path: bi.Main.Path, Version: bi.Main.Version}
	deps = []ModuleVersion{}
	for _, d := range bi.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		deps = append(deps, ModuleVersion{Path: d.Path, Version: m.Version})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	return main, deps
}

func newSidecar(a Artifact, res *Result, quick bool, files []string, wall float64, pc provenanceContext) (Sidecar, error) {
	main, deps := buildModules()
	prov, err := pc.provenance(res)
	if err != nil {
		return Sidecar{}, fmt.Errorf("sidecar of %s: %w", a.ID, err)
	}
	return Sidecar{
		ID: a.ID, Kind: a.Kind, Title: a.Title, PaperRef: a.PaperRef, Scale: a.Scale,
		Notebook: a.Notebook, Note: a.Note, Caption: res.Caption, Look: a.Look, Seed: a.Seed, Quick: quick,
		TitleHTML: render.ScriptHTML(a.Title), CaptionHTML: render.ScriptHTML(res.Caption), LookHTML: render.ScriptHTML(a.Look),
		Parameters: res.Params, Files: files, GoVersion: runtime.Version(),
		Module: main, Dependencies: deps, Provenance: prov, WallTime: render.RoundSig(wall, 3),
	}, nil
}

func (s Sidecar) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<" and "&" readable in captions
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("sidecar of %s: %w", s.ID, err)
	}
	return b.Bytes(), nil
}
