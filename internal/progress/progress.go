// Package progress reports the progress of long work in the way that suits
// where it runs: a bar redrawn in place on a terminal, an updating line in a
// GoNB notebook, and one summary line per phase in CI or when output is
// piped. Every drawn line carries the rate and the remaining time (ETA).
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Mode says how progress is shown.
type Mode int

const (
	Quiet    Mode = iota // print nothing
	Terminal             // redraw a bar with carriage returns
	Notebook             // redraw a plain line (Jupyter honours \r, not ANSI codes)
	Summary              // one line when the phase finishes (logs, CI, pipes)
)

// Detect picks the mode for writing to f: Summary when CI is set, Notebook
// inside GoNB (GONB_PIPE is set), Terminal when f is a character device, and
// Summary otherwise.
func Detect(f *os.File) Mode {
	if os.Getenv("CI") != "" {
		return Summary
	}
	if os.Getenv("GONB_PIPE") != "" {
		return Notebook
	}
	if f != nil {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return Terminal
		}
	}
	return Summary
}

// Bar counts done units of a known total. It is safe for concurrent use.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	mode  Mode
	label string
	total int
	done  int
	start time.Time
	last  time.Time
	note  string
	base  int // units done before start (a resumed run): not in the rate
	width int // length of the line drawn last, to blank its leftovers
}

// New returns a bar over total units written to w in the given mode.
func New(w io.Writer, mode Mode, label string, total int) *Bar {
	now := time.Now()
	return &Bar{w: w, mode: mode, label: label, total: total, start: now}
}

// Resume marks done units as already done before this run (a resumed
// training): the bar starts there and the rate counts only this run's units.
func (b *Bar) Resume(done int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done, b.base = done, done
}

// Logf prints one log line: on a terminal or in a notebook the bar is
// cleared first and redrawn after, so the two never share a line.
func (b *Bar) Logf(format string, args ...any) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mode == Quiet {
		return
	}
	msg := strings.TrimRight(fmt.Sprintf(format, args...), "\n")
	if b.mode == Summary {
		fmt.Fprintln(b.w, msg)
		return
	}
	fmt.Fprintf(b.w, "\r%s\r%s\n", strings.Repeat(" ", b.width), msg)
	b.width = 0
	b.draw(time.Now())
}

// Clear blanks the bar's line (terminal, notebook) so that another writer
// can print a line there; the next Add redraws the bar.
func (b *Bar) Clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mode == Terminal || b.mode == Notebook {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.width))
		b.width = 0
	}
}

// ForStderr returns a bar on os.Stderr with the detected mode.
func ForStderr(label string, total int) *Bar {
	return New(os.Stderr, Detect(os.Stderr), label, total)
}

// Add marks n more units done and redraws at most ten times a second.
func (b *Bar) Add(n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	now := time.Now()
	if b.done < b.total && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	b.draw(now)
}

// Note sets a short text shown after the counts (for example a loss).
func (b *Bar) Note(s string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.note = s
	b.mu.Unlock()
}

// Milestone sets the note to s and marks a step worth one line of its own
// (a finished run of many): in Summary mode it prints the bar's line then
// (counts, rate, ETA, s), so that a log shows the progress of long work
// before it ends; elsewhere it redraws the bar with the new note.
func (b *Bar) Milestone(s string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.note = s
	now := time.Now()
	switch b.mode {
	case Summary:
		fmt.Fprintln(b.w, b.line(now))
	case Terminal, Notebook:
		b.draw(now)
	}
}

// Abandon ends a phase that failed: the bar's line is blanked and no
// summary is printed, so that the error which follows is the only line.
func (b *Bar) Abandon() {
	if b == nil {
		return
	}
	b.Clear()
	b.mu.Lock()
	b.mode = Quiet
	b.mu.Unlock()
}

// Finish draws the final state and ends the line; in Summary mode it
// prints the phase's one line.
func (b *Bar) Finish() {
	if b == nil || b.mode == Quiet {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.mode == Summary {
		fmt.Fprintln(b.w, b.line(now))
		return
	}
	b.draw(now)
	fmt.Fprintln(b.w)
	b.width = 0
}

func (b *Bar) draw(now time.Time) {
	if b.mode == Quiet || b.mode == Summary {
		return
	}
	line := b.line(now)
	n := len([]rune(line))
	pad := ""
	if n < b.width { // blank what a longer previous line left behind
		pad = strings.Repeat(" ", b.width-n)
	}
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
	b.width = n
}

// line is the bar's text: counts, elapsed time, rate, ETA and the note.
func (b *Bar) line(now time.Time) string {
	elapsed := now.Sub(b.start)
	frac := 0.0
	if b.total > 0 {
		frac = float64(b.done) / float64(b.total)
	}
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(b.done-b.base) / s
	}
	eta := "ETA ?"
	switch {
	case b.done >= b.total:
		eta = "done"
	case rate > 0:
		eta = "ETA " + (time.Duration(float64(b.total-b.done) / rate * float64(time.Second))).Round(time.Second).String()
	}
	el := elapsed.Round(100 * time.Millisecond)
	line := fmt.Sprintf("%s %d/%d (%3.0f%%) %v, %s/s, %s", b.label, b.done, b.total, 100*frac, el, rateText(rate), eta)
	if b.mode == Terminal {
		const width = 30
		k := int(frac * width)
		if k > width {
			k = width
		}
		line = fmt.Sprintf("%s [%s%s] %d/%d %v, %s/s, %s", b.label, strings.Repeat("=", k), strings.Repeat(" ", width-k),
			b.done, b.total, el, rateText(rate), eta)
	}
	if b.note != "" {
		line += " " + b.note
	}
	return line
}

// rateText formats units per second with three significant digits.
func rateText(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	default:
		return fmt.Sprintf("%.2f", r)
	}
}
