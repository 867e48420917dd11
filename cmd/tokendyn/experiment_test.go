package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Usage errors exit 2 with one line naming the problem.
func TestExperimentUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		say  string // in the first line
	}{
		{[]string{"experiment"}, "want lm or reorder"},
		{[]string{"experiment", "bogus"}, "want lm or reorder"},
		{[]string{"experiment", "lm", "--parallel", "-1"}, "--parallel"},
		{[]string{"experiment", "lm", "extra"}, "unexpected argument"},
		{[]string{"experiment", "reorder", "--replay", "r.json"}, "--replay is for the full lm design only"},
		{[]string{"experiment", "lm", "--quick", "--replay", "lm.json"}, "--replay is for the full lm design only"},
		{[]string{"experiment", "reorder", "--quick", "--check", "r.json", "--pick", "abc"}, "--check is for the full design only"},
		{[]string{"experiment", "lm", "--replay", "lm.json", "--check", "lm.json", "--pick", "abc"}, "--check is for the full design only"},
		{[]string{"experiment", "reorder", "--check", "r.json"}, "--check and --pick go together"},
		{[]string{"experiment", "lm", "--pick", "abc"}, "--check and --pick go together"},
	} {
		var o, e bytes.Buffer
		if code := run(tc.args, &o, &e); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		if first := strings.SplitN(e.String(), "\n", 2)[0]; !strings.HasPrefix(first, "tokendyn experiment") || !strings.Contains(first, tc.say) {
			t.Errorf("%v: first line %q, want the command and %q", tc.args, first, tc.say)
		}
	}
}

// --check --pick reaches each experiment's one-run replay: with no
// committed file there, both fail (exit 1) saying so, before any training.
func TestExperimentCheckWithoutCommittedFile(t *testing.T) {
	for _, name := range []string{"lm", "reorder"} {
		missing := filepath.Join(t.TempDir(), name+".json")
		var o, e bytes.Buffer
		if code := run([]string{"experiment", name, "--check", missing, "--pick", "abc"}, &o, &e); code != 1 {
			t.Errorf("%s --check of a missing file: exit %d, want 1 (stderr %q)", name, code, e.String())
		}
		if want := "tokendyn experiment " + name + ": " + name + ": replay: no committed result at " + missing; !strings.HasPrefix(e.String(), want) {
			t.Errorf("%s --check of a missing file: stderr %q, want %q", name, e.String(), want)
		}
	}
}
