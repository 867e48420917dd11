package main

import (
	"bytes"
	"strings"
	"testing"
)

// The subcommands a user can reach, written out here independently of the
// dispatch table: help must list each with its summary, and each must
// answer `tokendyn help NAME` and `tokendyn NAME -h` with its own usage
// and exit 0.
func TestHelpListsEverySubcommand(t *testing.T) {
	want := []string{"figures", "claims", "verify", "experiment", "scan", "dynamics", "train", "bench", "eval", "generate", "inspect"}
	var out, errb bytes.Buffer
	if code := run([]string{"help"}, &out, &errb); code != 0 {
		t.Fatalf("help exited %d", code)
	}
	listed := map[string]bool{}
	inList := false
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "Subcommands:") {
			inList = true
			continue
		}
		if f := strings.Fields(line); inList && len(f) > 1 && strings.HasPrefix(line, "  ") {
			listed[f[0]] = true
		}
	}
	for _, name := range want {
		if !listed[name] {
			t.Errorf("help does not list %q:\n%s", name, out.String())
		}
		for _, args := range [][]string{{"help", name}, {name, "-h"}} {
			var o, e bytes.Buffer
			code := run(args, &o, &e)
			if code != 0 || !strings.Contains(o.String()+e.String(), "Usage: tokendyn "+name) {
				t.Errorf("tokendyn %s: exit %d, no \"Usage: tokendyn %s\" in\n%s%s", strings.Join(args, " "), code, name, o.String(), e.String())
			}
		}
		delete(listed, name)
	}
	delete(listed, "help")
	delete(listed, "version")
	for name := range listed {
		t.Errorf("help lists %q, which this test does not know: add it to want", name)
	}
}

func TestUnknownSubcommandIsUsageError(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errb); code != 2 {
		t.Fatalf("unknown subcommand exited %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "Usage:") {
		t.Fatalf("no usage message on stderr: %q", errb.String())
	}
	if code := run(nil, &out, &errb); code != 2 {
		t.Fatalf("no arguments exited %d, want 2", code)
	}
}

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--version"}, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "tokendyn ") {
		t.Fatalf("--version: code %d output %q", code, out.String())
	}
}

// Every subcommand's help spells its flags --name, as the usage lines do.
func TestHelpSpellsFlagsWithTwoDashes(t *testing.T) {
	for _, sub := range []string{"figures", "dynamics", "scan", "train"} {
		var out, errb bytes.Buffer
		if code := run([]string{"help", sub}, &out, &errb); code != 0 {
			t.Fatalf("help %s: exit %d", sub, code)
		}
		flags := out.String()[strings.Index(out.String(), "\nFlags:"):]
		n := 0
		for _, line := range strings.Split(flags, "\n") {
			if strings.HasPrefix(line, "  -") {
				n++
				if !strings.HasPrefix(line, "  --") {
					t.Errorf("help %s: flag line %q has one dash", sub, line)
				}
			}
		}
		if n == 0 {
			t.Errorf("help %s lists no flags:\n%s", sub, flags)
		}
	}
}
