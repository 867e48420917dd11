// Package progress reports the progress of long work in the way that suits
// where it runs: a bar redrawn in place on a terminal, an updating line in a
// GoNB notebook, and nothing at all in CI or when output is piped.
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
)

// Detect picks the mode for writing to f: Quiet when CI is set, Notebook
// inside GoNB (GONB_PIPE is set), Terminal when f is a character device, and
// Quiet otherwise.
func Detect(f *os.File) Mode {
	if os.Getenv("CI") != "" {
		return Quiet
	}
	if os.Getenv("GONB_PIPE") != "" {
		return Notebook
	}
	if f != nil {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return Terminal
		}
	}
	return Quiet
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
}

// New returns a bar over total units written to w in the given mode.
func New(w io.Writer, mode Mode, label string, total int) *Bar {
	now := time.Now()
	return &Bar{w: w, mode: mode, label: label, total: total, start: now}
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

// Finish draws the final state and ends the line.
func (b *Bar) Finish() {
	if b == nil || b.mode == Quiet {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw(time.Now())
	fmt.Fprintln(b.w)
}

func (b *Bar) draw(now time.Time) {
	if b.mode == Quiet {
		return
	}
	el := now.Sub(b.start).Round(100 * time.Millisecond)
	frac := 0.0
	if b.total > 0 {
		frac = float64(b.done) / float64(b.total)
	}
	line := fmt.Sprintf("%s %d/%d (%3.0f%%) %v", b.label, b.done, b.total, 100*frac, el)
	if b.mode == Terminal {
		const width = 30
		k := int(frac * width)
		if k > width {
			k = width
		}
		line = fmt.Sprintf("%s [%s%s] %d/%d %v", b.label, strings.Repeat("=", k), strings.Repeat(" ", width-k), b.done, b.total, el)
	}
	if b.note != "" {
		line += " " + b.note
	}
	fmt.Fprintf(b.w, "\r%s", line)
}
