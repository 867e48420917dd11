package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestQuietWritesNothing(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Quiet, "work", 3)
	b.Add(1)
	b.Add(2)
	b.Finish()
	if buf.Len() != 0 {
		t.Fatalf("quiet bar wrote %q", buf.String())
	}
}

func TestNotebookLineEndsWithTotal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Notebook, "work", 4)
	for i := 0; i < 4; i++ {
		b.Add(1)
	}
	b.Finish()
	out := buf.String()
	if !strings.Contains(out, "work 4/4 (100%)") || !strings.HasSuffix(out, "\n") {
		t.Fatalf("notebook output %q lacks the final count or newline", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Fatalf("notebook output contains ANSI escapes: %q", out)
	}
}

func TestNilBarIsSafe(t *testing.T) {
	var b *Bar
	b.Add(1)
	b.Note("x")
	b.Finish()
}

// The visible text of a carriage-return terminal: each \r returns to the
// start of the line and later characters overwrite earlier ones.
func screen(out string) []string {
	var lines []string
	var cur []rune
	col := 0
	for _, r := range out {
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines = append(lines, strings.TrimRight(string(cur), " "))
			cur, col = nil, 0
		default:
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
	}
	if len(cur) > 0 {
		lines = append(lines, strings.TrimRight(string(cur), " "))
	}
	return lines
}

func TestLineShowsRateAndETA(t *testing.T) {
	for _, mode := range []Mode{Terminal, Notebook} {
		var buf bytes.Buffer
		b := New(&buf, mode, "work", 4)
		b.start = b.start.Add(-2 * time.Second) // 2 s elapsed
		b.done = 1
		got := b.line(b.start.Add(2 * time.Second))
		if !strings.Contains(got, "0.50/s") || !strings.Contains(got, "ETA 6s") {
			t.Errorf("mode %d: %q lacks the rate 0.50/s and ETA 6s", mode, got)
		}
	}
}

// A log line gets a line of its own, with nothing of the bar left on it,
// and a shorter redraw leaves no stale characters.
func TestLogLineClearsTheBar(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Notebook, "work", 3)
	b.Note("a long note that will go away")
	b.Add(1)
	b.Logf("checkpoint saved")
	b.Note("")
	b.Add(2)
	b.Finish()
	lines := screen(buf.String())
	if len(lines) != 2 || lines[0] != "checkpoint saved" {
		t.Fatalf("screen %q, want the log line alone then the bar", lines)
	}
	if strings.Contains(lines[1], "note") || !strings.HasPrefix(lines[1], "work 3/3 (100%)") {
		t.Errorf("final bar %q keeps leftovers or lacks the count", lines[1])
	}
}

func TestSummaryIsOneLinePerPhase(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Summary, "train", 10)
	for i := 0; i < 10; i++ {
		b.Add(1)
	}
	b.Finish()
	out := buf.String()
	if strings.Count(out, "\n") != 1 || strings.Contains(out, "\r") || !strings.HasPrefix(out, "train 10/10 (100%)") {
		t.Fatalf("summary %q, want one line with the count", out)
	}
}

func TestResumeStartsAtTheStep(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Summary, "train", 10)
	b.Resume(6)
	b.start = b.start.Add(-4 * time.Second)
	b.Add(4)
	if got := b.line(b.start.Add(4 * time.Second)); !strings.Contains(got, "10/10") || !strings.Contains(got, "1.00/s") {
		t.Errorf("%q: want 10/10 at 1.00/s (only this run's 4 units in 4 s)", got)
	}
}

func TestClearBlanksTheLine(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Notebook, "work", 3)
	b.Add(1)
	b.Clear()
	buf.WriteString("log line\n")
	b.Add(2)
	b.Finish()
	lines := screen(buf.String())
	if len(lines) != 2 || lines[0] != "log line" {
		t.Fatalf("screen %q, want the log line alone", lines)
	}
}

// A failed phase prints no summary line: the error is the only line.
func TestAbandonPrintsNothingInSummaryMode(t *testing.T) {
	var b bytes.Buffer
	bar := New(&b, Summary, "phase", 3)
	bar.Add(1)
	bar.Abandon()
	bar.Finish()
	if b.Len() != 0 {
		t.Fatalf("abandoned bar wrote %q", b.String())
	}
}

// In Summary mode each milestone is one line with the counts, the rate,
// the ETA and its note; on a terminal it only redraws the bar (no newline
// before Finish).
func TestMilestoneLines(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, Summary, "runs", 4)
	b.start = b.start.Add(-2 * time.Second)
	b.Add(1)
	b.Milestone("run 1 done")
	b.Add(1)
	b.Milestone("run 2 done")
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "runs 1/4 (") || !strings.Contains(lines[0], "ETA ") ||
		!strings.HasSuffix(lines[0], "run 1 done") || !strings.HasPrefix(lines[1], "runs 2/4 (") {
		t.Fatalf("summary milestones %q", buf.String())
	}
	buf.Reset()
	b = New(&buf, Terminal, "runs", 4)
	b.Add(1)
	b.Milestone("run 1 done")
	if out := buf.String(); strings.Contains(out, "\n") || !strings.HasSuffix(out, "run 1 done") {
		t.Fatalf("terminal milestone %q", out)
	}
	var nilBar *Bar
	nilBar.Milestone("x")
}
