// Package atomicfile is the one writer of every file the project produces
// (scan outputs, checkpoints, results, caches, figures). A reader never sees
// a half-written file and the previous content survives any failure:
//
//   - the content goes to a temporary file in the destination's directory,
//     named ".NAME.tokendyn-tmp-PID-RANDOM", which is fsynced, closed,
//     renamed over the destination, and the directory fsynced after the
//     rename;
//   - a destination that exists and is not a regular file (a device, a FIFO,
//     a directory, a socket) is refused with one line, never replaced;
//   - a symlink is written through: its target is replaced (atomically, in
//     the target's directory) and the link itself is kept; a dangling link
//     is refused;
//   - an existing file keeps its permission bits; a new file gets 0644;
//   - NotOver(inputs...) refuses a destination that is the same file
//     (os.SameFile) as one of the command's inputs;
//   - SIGINT or SIGTERM during a write removes the temporary file and aborts
//     the write (ErrInterrupted); the signal is then delivered again, so a
//     process without its own handler still terminates;
//   - each write removes the temporary files of the same destination left by
//     processes that no longer exist (a SIGKILL, a power cut).
//
// Hard links to a replaced file keep the old content (rename replaces the
// directory entry). Ownership is the writer's.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// ErrInterrupted is wrapped by the error of a write aborted by SIGINT or
// SIGTERM.
var ErrInterrupted = errors.New("interrupted by a signal; the temporary file was removed and the destination left as it was")

// tmpTag marks the temporary files of this package: ".NAME" + tmpTag + "PID-RANDOM".
const tmpTag = ".tokendyn-tmp-"

// DefaultMode is the permission of a newly created file.
const DefaultMode fs.FileMode = 0o644

// Option changes one write.
type Option func(*options)

type options struct {
	inputs []string
}

// NotOver refuses to write over any of inputs (compared with os.SameFile,
// so a symlink or a hard link to an input is caught too). Inputs that do not
// exist are ignored.
func NotOver(inputs ...string) Option {
	return func(o *options) { o.inputs = append(o.inputs, inputs...) }
}

// Destination resolves path to the regular file that a write would replace:
// it follows symlinks and refuses anything that is not a regular file. It
// returns the path to write (the symlink's target, or path itself) and the
// mode to give the new file.
func Destination(path string) (string, fs.FileMode, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, DefaultMode, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("atomicfile: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return "", 0, fmt.Errorf("atomicfile: %s is a symlink whose target cannot be resolved (%v); refusing to write through it", path, err)
		}
		if fi, err = os.Stat(target); err != nil {
			return "", 0, fmt.Errorf("atomicfile: %w", err)
		}
		path = target
	}
	if !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("atomicfile: %s is %s, not a regular file; refusing to replace it", path, kind(fi.Mode()))
	}
	return path, fi.Mode().Perm(), nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "not a regular file (" + m.Type().String() + ")"
}

// Check reports, without writing anything, the error that Write(path, …,
// opts...) would give before writing: a destination that is not a regular
// file, or one of the inputs. Commands call it before long computations.
func Check(path string, opts ...Option) error {
	var o options
	for _, f := range opts {
		f(&o)
	}
	dst, _, err := Destination(path)
	if err != nil {
		return err
	}
	return checkInputs(dst, o.inputs)
}

// Write creates (or replaces) path with what write produces, as described
// in the package comment. If write or any file operation fails, path is left
// untouched and the temporary file is removed.
func Write(path string, write func(w io.Writer) error, opts ...Option) (err error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	dst, mode, err := Destination(path)
	if err != nil {
		return err
	}
	if err := checkInputs(dst, o.inputs); err != nil {
		return err
	}
	dir, base := filepath.Dir(dst), filepath.Base(dst)
	RemoveStale(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+tmpTag+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return fmt.Errorf("atomicfile: create temporary file for %s: %w", path, err)
	}
	name := tmp.Name()
	stop, interrupted := cleanupOnSignal(name)
	defer func() {
		stop()
		if err != nil && interrupted() && !errors.Is(err, ErrInterrupted) {
			err = fmt.Errorf("atomicfile: write %s: %w", path, ErrInterrupted)
		}
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("atomicfile: chmod %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("atomicfile: fsync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("atomicfile: close %s: %w", path, err)
	}
	if interrupted() {
		return fmt.Errorf("atomicfile: write %s: %w", path, ErrInterrupted)
	}
	if err = os.Rename(name, dst); err != nil {
		return fmt.Errorf("atomicfile: rename into %s: %w", path, err)
	}
	if err = SyncDir(dir); err != nil {
		return err
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, b []byte, opts ...Option) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}, opts...)
}

// SyncDir fsyncs a directory, making the renames and removals in it durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("atomicfile: fsync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("atomicfile: fsync directory %s: %w", dir, err)
	}
	return nil
}

func checkInputs(dst string, inputs []string) error {
	di, err := os.Stat(dst)
	if err != nil {
		return nil // a new file cannot be an input
	}
	for _, in := range inputs {
		ii, err := os.Stat(in)
		if err == nil && os.SameFile(di, ii) {
			return fmt.Errorf("atomicfile: output %s is the input %s; refusing to overwrite an input", dst, in)
		}
	}
	return nil
}

// cleanupOnSignal removes name when SIGINT or SIGTERM arrives before stop is
// called, then delivers the signal again to this process (after its own
// notification is stopped, so the default action, or the program's own
// handler, sees it).
func cleanupOnSignal(name string) (stop func(), interrupted func() bool) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var mu sync.Mutex
	hit := false
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case s := <-ch:
			mu.Lock()
			hit = true
			mu.Unlock()
			os.Remove(name)
			signal.Stop(ch)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(s)
			}
		case <-done:
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			<-finished
		})
	}
	interrupted = func() bool {
		mu.Lock()
		defer mu.Unlock()
		return hit
	}
	return stop, interrupted
}

// RemoveStale removes the temporary files for base in dir that were left by
// processes that no longer run, and reports how many it removed. Files of
// running processes (this one included) are kept.
func RemoveStale(dir, base string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	prefix := "." + base + tmpTag
	n := 0
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pidStr, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

// IsTemp reports whether name (a base name) is a temporary file of this
// package.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tmpTag)
}
