package main

import (
	"bytes"
	"strings"
	"testing"
)

// Usage errors exit 2 with one line naming the problem.
func TestExperimentUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"experiment"}, {"experiment", "bogus"}, {"experiment", "lm", "--parallel", "-1"}, {"experiment", "lm", "extra"}} {
		var o, e bytes.Buffer
		if code := run(args, &o, &e); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if first := strings.SplitN(e.String(), "\n", 2)[0]; !strings.HasPrefix(first, "tokendyn experiment") {
			t.Errorf("%v: first line %q does not name the command", args, first)
		}
	}
}
