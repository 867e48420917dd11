package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestBenchScanLastLine(t *testing.T) {
	lastLine := regexp.MustCompile(`^ns_per_update=([0-9]+\.[0-9]+)$`)
	for _, dtype := range []string{"float32", "float64"} {
		var out, errb bytes.Buffer
		code := run([]string{"bench", "scan", "-B", "2", "-D", "3", "-L", "17", "-N", "5", "-threads", "2", "-dtype", dtype, "-reps", "3", "-seed", "7"}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", dtype, code, errb.String())
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		m := lastLine.FindStringSubmatch(lines[len(lines)-1])
		if m == nil {
			t.Fatalf("%s: last line %q, want ns_per_update=<value>\n%s", dtype, lines[len(lines)-1], out.String())
		}
		if v, err := strconv.ParseFloat(m[1], 64); err != nil || !(v > 0) {
			t.Errorf("%s: ns_per_update %q is not a positive number", dtype, m[1])
		}
		if !strings.Contains(out.String(), "B=2 D=3 L=17 N=5") || !strings.Contains(out.String(), "dtype: "+dtype) {
			t.Errorf("%s: output does not echo the shape and dtype:\n%s", dtype, out.String())
		}
	}
}

func TestBenchScanBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-B", "0"},
		{"-N", "-3"},
		{"-threads", "0"},
		{"-reps", "0"},
		{"-dtype", "float16"},
		{"-L", "many"},
		{"-frobnicate"},
		{"extra"},
		{"-B", "100000", "-D", "100000", "-L", "100000"},
	} {
		var out, errb bytes.Buffer
		if code := benchScan(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(errb.String(), "Usage: tokendyn bench scan") {
			t.Errorf("%q: no usage on stderr: %q", args, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", args, out.String())
		}
	}
	var out, errb bytes.Buffer
	if code := benchScan([]string{"-h"}, &out, &errb); code != 0 {
		t.Errorf("-h: exit %d, want 0", code)
	}
}
