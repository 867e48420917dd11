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

// has reports whether dep is one of the packages (or below one of them).
func has(dep string, pkgs ...string) bool {
	for _, p := range pkgs {
		if dep == p || strings.HasPrefix(dep, p+"/") {
			return true
		}
	}
	return false
}

// The layering of the project (docs/architecture.md): each rule names a
// package and what it must not depend on, directly or not.
func TestImportRules(t *testing.T) {
	training := []string{"pkg/train", "pkg/optim", "pkg/experiment/runner"}
	for _, rule := range []struct {
		pkg     string
		allowed func(dep string) bool
		why     string
	}{
		{"pkg/mamba", func(d string) bool { return strings.HasPrefix(d, "internal/") }, "the S6 layer imports only internal/ (nothing of the network)"},
		{"pkg/ode", func(d string) bool { return strings.HasPrefix(d, "internal/") }, "the ODE solver imports only internal/"},
		{"pkg/theory", func(d string) bool { return has(d, "pkg/mamba", "pkg/ode") || strings.HasPrefix(d, "internal/") },
			"the theory imports only the S6 layer and the ODE solver"},
		{"pkg/model", func(d string) bool {
			return has(d, "pkg/mamba", "pkg/theory", "pkg/ode") || strings.HasPrefix(d, "internal/")
		},
			"the network imports no training, experiment, checkpoint or figures package"},
		{"pkg/optim", func(d string) bool {
			return !has(d, "pkg/train", "pkg/lmrun", "pkg/experiment", "pkg/checkpoint", "pkg/figures", "data")
		},
			"the optimizer toolkit knows the model's parameters, not the trainers, their data or their results"},
		{"pkg/lmrun", func(d string) bool {
			return !has(d, append(training, "pkg/checkpoint", "pkg/figures", "pkg/experiment")...)
		},
			"a run's description links no training code"},
		{"pkg/checkpoint", func(d string) bool { return !has(d, "pkg/train", "pkg/lmrun", "pkg/experiment", "pkg/figures") },
			"the checkpoint format serves the trainer; it does not import it"},
		{"pkg/train", func(d string) bool { return !has(d, "pkg/experiment", "pkg/figures") },
			"the LM trainer runs one configuration; experiments and figures sit above it"},
		{"pkg/experiment/lm", func(d string) bool { return !has(d, training...) }, "an experiment's description and results link no training code"},
		{"pkg/experiment/reorder", func(d string) bool { return !has(d, training...) }, "an experiment's description and results link no training code"},
		{"pkg/experiment/runner", func(d string) bool { return !has(d, "pkg/figures") }, "the runner trains; the figures read what it stored"},
		{"pkg/claims", func(d string) bool { return !has(d, append(training, "pkg/checkpoint", "pkg/figures")...) },
			"the ledger runs cheap theory and model checks and reads the committed results; it never trains"},
		{"pkg/figures", func(d string) bool { return !has(d, append(training, "pkg/checkpoint")...) },
			"the figures read the experiments' stored results and never train"},
		{"pkg/notebook", func(d string) bool {
			return !has(d, "pkg/train", "pkg/optim", "pkg/lmrun", "pkg/experiment", "pkg/model", "data")
		},
			"the display helpers import no training package, network or data loader (a notebook that only draws builds in seconds)"},
		{"data/text", func(d string) bool { return !strings.HasPrefix(d, "pkg/") }, "the data loaders know no model"},
		{"data/vision", func(d string) bool { return !strings.HasPrefix(d, "pkg/") }, "the data loaders know no model"},
	} {
		all := deps(t, rule.pkg)
		if len(all) == 0 && !has(rule.pkg, "pkg/mamba", "pkg/ode", "data/text", "pkg/experiment") {
			t.Errorf("%s: go list found no project dependency at all: is the path right?", rule.pkg)
		}
		for _, d := range all {
			if !rule.allowed(d) {
				t.Errorf("%s imports %s: %s", rule.pkg, d, rule.why)
			}
		}
	}
}
