package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The flag-set names whose help must end with EXAMPLES, written out here
// independently of examples(): every subcommand a user reaches with -h.
var helpNames = map[string][]string{
	"figures":      {"figures"},
	"verify":       {"verify"},
	"scan":         {"scan"},
	"dynamics":     {"dynamics"},
	"train":        {"train"},
	"train vision": {"train", "vision"},
	"bench":        {"bench"},
	"bench scan":   {"bench", "scan"},
	"bench train":  {"bench", "train"},
	"eval":         {"eval"},
	"generate":     {"generate"},
	"inspect":      {"inspect"},
}

func TestEverySubcommandHelpShowsExamples(t *testing.T) {
	for name, argv := range helpNames {
		var out, errb bytes.Buffer
		code := run(append(append([]string{}, argv...), "-h"), &out, &errb)
		help := out.String() + errb.String()
		if code != 0 {
			t.Errorf("%s -h: exit %d", name, code)
		}
		i := strings.Index(help, "\nEXAMPLES\n")
		if i < 0 {
			t.Errorf("%s -h has no EXAMPLES section:\n%s", name, help)
			continue
		}
		// At least one example line, and every one names this subcommand.
		n := 0
		for _, line := range strings.Split(help[i:], "\n") {
			if strings.HasPrefix(line, "  tokendyn ") {
				n++
				if !strings.HasPrefix(line, "  tokendyn "+strings.Join(argv, " ")) {
					t.Errorf("%s: example %q is of another subcommand", name, line)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: EXAMPLES lists no command", name)
		}
	}
}

// Every example's flags exist and their values parse: the example with -h
// appended stops at -h with exit 0, where an unknown flag or a bad value
// would exit 2 first.
func TestExamplesParse(t *testing.T) {
	for name := range helpNames {
		for _, e := range examples(name) {
			var out, errb bytes.Buffer
			if code := run(append(append([]string{}, e.args...), "-h"), &out, &errb); code != 0 {
				t.Errorf("example %q: exit %d with -h appended:\n%s", strings.Join(e.args, " "), code, errb.String())
			}
		}
	}
}

// The dynamics examples are cheap: run them and check they show the
// scenario their description names.
func TestDynamicsExamplesRun(t *testing.T) {
	for _, e := range examples("dynamics") {
		var out, errb bytes.Buffer
		if code := run(e.args, &out, &errb); code != 0 {
			t.Fatalf("%q: exit %d: %s", strings.Join(e.args, " "), code, errb.String())
		}
		var r struct{ Scenario string }
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("%q: %v", strings.Join(e.args, " "), err)
		}
		if !strings.Contains(e.what, r.Scenario+" scenario") {
			t.Errorf("%q is %s, but its description says %q", strings.Join(e.args, " "), r.Scenario, e.what)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "The ": "'The '", "it's": `'it'\''s'`, "": "''", "1,2": "1,2"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// train --quick is --preset tiny, and contradicting it is a usage error.
func TestTrainQuickIsTinyPreset(t *testing.T) {
	var a, b, errb bytes.Buffer
	if code := run([]string{"train", "--quick", "--print-config"}, &a, &errb); code != 0 {
		t.Fatalf("train --quick --print-config: exit %d: %s", code, errb.String())
	}
	if code := run([]string{"train", "--preset", "tiny", "--print-config"}, &b, &errb); code != 0 {
		t.Fatalf("train --preset tiny --print-config: exit %d: %s", code, errb.String())
	}
	if a.String() != b.String() {
		t.Errorf("--quick and --preset tiny differ:\n%s\n%s", a.String(), b.String())
	}
	errb.Reset()
	if code := run([]string{"train", "--quick", "--preset", "paper", "--print-config"}, &a, &errb); code != 2 || !strings.Contains(errb.String(), "--quick") {
		t.Errorf("--quick --preset paper: exit %d, stderr %q", code, errb.String())
	}
}
