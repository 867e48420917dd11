package repotest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tokendyn/tokendyn/"

// deps lists the project packages that pkg (a path relative to the module)
// imports, directly or not, tests excluded.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../../"+pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var own []string
	for _, p := range strings.Fields(string(out)) {
		if rel, ok := strings.CutPrefix(p, module); ok && rel != pkg {
			own = append(own, rel)
		}
	}
	return own
}

// The layering of the project: the S6 layer depends on nothing of ours but
// internal helpers; the theory never on the network, training or figures;
// the notebooks' display helpers never on training.
func TestImportRules(t *testing.T) {
	for _, rule := range []struct {
		pkg     string
		allowed func(dep string) bool
		why     string
	}{
		{"pkg/mamba", func(d string) bool { return strings.HasPrefix(d, "internal/") }, "the layer imports only internal/"},
		{"pkg/theory", func(d string) bool {
			return !strings.HasPrefix(d, "pkg/model") && !strings.HasPrefix(d, "pkg/train") && !strings.HasPrefix(d, "pkg/figures") &&
				!strings.HasPrefix(d, "pkg/experiment")
		}, "the theory imports no network, training or figures package"},
		{"pkg/notebook", func(d string) bool {
			return !strings.HasPrefix(d, "pkg/train") && !strings.HasPrefix(d, "pkg/experiment") &&
				!strings.HasPrefix(d, "pkg/model") && !strings.HasPrefix(d, "data/")
		}, "the display helpers import no training package, network or data loader (a notebook that only draws builds in seconds)"},
	} {
		all := deps(t, rule.pkg)
		if len(all) == 0 && rule.pkg != "pkg/mamba" {
			t.Errorf("%s: go list found no project dependency at all: is the path right?", rule.pkg)
		}
		for _, d := range all {
			if !rule.allowed(d) {
				t.Errorf("%s imports %s: %s", rule.pkg, d, rule.why)
			}
		}
	}
}
