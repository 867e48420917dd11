package main

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestPhaseOf(t *testing.T) {
	const m, mb, tr = "github.com/tokendyn/tokendyn/pkg/model.", "github.com/tokendyn/tokendyn/pkg/mamba.", "github.com/tokendyn/tokendyn/pkg/train."
	for _, c := range []struct {
		stack []string
		want  string
	}{
		{[]string{m + "sgemm8x32z", m + "sgemmPath", m + "linearForwardW[...]", m + "(*mambaMixer[...]).forwardSeqs"}, "forward GEMMs"},
		{[]string{m + "sgemm8x32z", m + "weightGradsShare[...]", m + "(*LM[...]).backward"}, "backward GEMMs"},
		{[]string{mb + "scanRowAVX512", mb + "scanStep[...]", mb + "ScanTokensSeqs[...]", m + "(*mambaMixer[...]).forwardSeqs"}, "scan forward"},
		{[]string{mb + "scanAdjRowAVX512", mb + "ScanTokensBackwardSeqs[...]", m + "(*mambaMixer[...]).backwardSeqs"}, "scan backward"},
		{[]string{mb + "siluAVX512", mb + "SiLU8", m + "siluForward[...]", tr + "(*Trainer).Step"}, "elementwise/activations"},
		{[]string{tr + "(*AdamW[...]).Update", tr + "(*Trainer).Step"}, "optimizer"},
		{[]string{"runtime.gcBgMarkWorker"}, "runtime (GC, alloc)"},
	} {
		if got := phaseNames[phaseOf(c.stack)]; got != c.want {
			t.Errorf("%v: %s, want %s", c.stack, got, c.want)
		}
	}
}

// TestBenchTrainPhases: the breakdown lists every phase once, in order, and
// its shares add up to 100 % (to the printed rounding).
func TestBenchTrainPhases(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"bench", "train", "--d-model", "16", "--layers", "1", "--seq", "32", "--batch", "2", "--steps", "5", "--reps", "1"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "\nkernels: ") {
		t.Errorf("no kernels line:\n%s", s)
	}
	i := strings.Index(s, "phases (")
	if i < 0 {
		t.Fatalf("no breakdown:\n%s", s)
	}
	lines := strings.Split(s[i:], "\n")[1 : 1+len(phaseNames)]
	re := regexp.MustCompile(`^  (.+?) +([0-9]+\.[0-9])%$`)
	var sum float64
	for k, l := range lines {
		mm := re.FindStringSubmatch(l)
		if mm == nil || mm[1] != phaseNames[k] {
			t.Fatalf("line %d %q, want phase %q", k, l, phaseNames[k])
		}
		v, _ := strconv.ParseFloat(mm[2], 64)
		sum += v
	}
	if math.Abs(sum-100) > 0.05*float64(len(phaseNames))+0.01 {
		t.Errorf("shares add up to %.1f%%:\n%s", sum, s)
	}
}
