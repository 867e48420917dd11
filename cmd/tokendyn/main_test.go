package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestHelpListsEverySubcommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"help"}, &out, &errb); code != 0 {
		t.Fatalf("help exited %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), "  "+c.name+" ") {
			t.Errorf("help does not list %q:\n%s", c.name, out.String())
		}
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
