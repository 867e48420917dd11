// Package membudget states how many bytes a command may allocate for what an
// input asks for, so that a file or a flag cannot make it allocate without
// bound: sizes are checked against the budget before allocating, and an
// over-budget request is one line naming the size asked for.
package membudget

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// MaxThreads bounds every --threads flag: more goroutines than this gain
// nothing on any machine this project targets and cost memory per worker.
const MaxThreads = 1024

// fallback is the budget when the machine's memory cannot be read.
const fallback int64 = 4 << 30

// Default returns half of the machine's available memory (MemAvailable of
// /proc/meminfo), or 4 GiB when it cannot be read.
func Default() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return fallback
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil && kb > 0 {
				return kb * 1024 / 2
			}
		}
	}
	return fallback
}

// Parse reads a size: a number of bytes with an optional suffix K, M, G, T
// (powers of 1024; KiB, MB, GiB … are accepted too).
func Parse(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v <= 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("memory size %q: want a positive number of bytes, e.g. 512M or 8G", s)
	}
	return v * mult, nil
}

// Format writes n bytes for a message (MiB or GiB, one decimal).
func Format(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// Check reports an error when need bytes (for what) exceed budget.
func Check(what string, need, budget int64) error {
	if need < 0 || need > budget {
		if need < 0 {
			return fmt.Errorf("%s needs more than 2^63 bytes; the memory budget is %s (--memory)", what, Format(budget))
		}
		return fmt.Errorf("%s needs %s, more than the memory budget of %s (--memory)", what, Format(need), Format(budget))
	}
	return nil
}

// Mul multiplies non-negative sizes, returning -1 on overflow.
func Mul(xs ...int64) int64 {
	p := int64(1)
	for _, x := range xs {
		if x < 0 {
			return -1
		}
		if x != 0 && p > (1<<63-1)/x {
			return -1
		}
		p *= x
	}
	return p
}

// Value is a flag.Value holding a budget in bytes.
type Value struct{ Bytes int64 }

func (v *Value) String() string { return strconv.FormatInt(v.Bytes, 10) }

// Set parses a size (Parse).
func (v *Value) Set(s string) error {
	n, err := Parse(s)
	if err != nil {
		return err
	}
	v.Bytes = n
	return nil
}
