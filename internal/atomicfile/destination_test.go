package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRefusesNonRegularDestinations(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	cases := map[string]string{fifo: "a FIFO", sub: "a directory", "/dev/null": "a character device"}
	for p, want := range cases {
		err := WriteBytes(p, []byte("x"))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line saying %q", p, err, want)
		}
		fi, _ := os.Lstat(p)
		if fi.Mode().IsRegular() {
			t.Errorf("%s was replaced by a regular file", p)
		}
	}
	if fi, _ := os.Stat("/dev/null"); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatal("/dev/null is no longer a device")
	}
	// A symlink to a FIFO is refused too.
	link := filepath.Join(dir, "tofifo")
	os.Symlink(fifo, link)
	if err := WriteBytes(link, []byte("x")); err == nil {
		t.Error("wrote through a symlink to a FIFO")
	}
	assertNoTemp(t, dir)
}

func TestSymlinkIsWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	other := t.TempDir()
	target := filepath.Join(other, "target.txt")
	os.WriteFile(target, []byte("old"), 0o600)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("target holds %q, want %q", b, "new")
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
		t.Fatalf("target mode %v, want 0600 kept", fi.Mode().Perm())
	}
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere", "x"), dangling)
	if err := WriteBytes(dangling, []byte("x")); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("dangling symlink: got %v", err)
	}
	assertNoTemp(t, dir)
	assertNoTemp(t, other)
}

func TestKeepsModeAndNewFileMode(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []os.FileMode{0o600, 0o640, 0o755} {
		p := filepath.Join(dir, fmt.Sprintf("f%o", m))
		os.WriteFile(p, []byte("a"), m)
		os.Chmod(p, m)
		if err := WriteBytes(p, []byte("b")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != m {
			t.Errorf("mode %v became %v", m, fi.Mode().Perm())
		}
	}
	p := filepath.Join(dir, "new")
	WriteBytes(p, nil)
	if fi, _ := os.Stat(p); fi.Mode().Perm() != DefaultMode {
		t.Errorf("new file mode %v, want %v", fi.Mode().Perm(), DefaultMode)
	}
}

func TestRefusesToOverwriteAnInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.WriteFile(in, []byte("input"), 0o644)
	hard := filepath.Join(dir, "hard")
	os.Link(in, hard)
	sym := filepath.Join(dir, "sym")
	os.Symlink(in, sym)
	for _, out := range []string{in, hard, sym, filepath.Join(dir, ".", "in")} {
		err := WriteBytes(out, []byte("x"), NotOver(in))
		if err == nil || !strings.Contains(err.Error(), "input") {
			t.Errorf("-out %s over -in %s: got %v", out, in, err)
		}
	}
	if b, _ := os.ReadFile(in); string(b) != "input" {
		t.Fatalf("input destroyed: %q", b)
	}
	if err := WriteBytes(filepath.Join(dir, "out"), []byte("x"), NotOver(in, filepath.Join(dir, "missing"))); err != nil {
		t.Fatal(err)
	}
	assertNoTemp(t, dir)
}

func TestRemovesStaleTempOfDeadProcesses(t *testing.T) {
	dir := t.TempDir()
	// A process that has exited: its id is free (until reused, which a
	// short-lived child makes unlikely within this test).
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	dead := cmd.Process.Pid
	stale := filepath.Join(dir, fmt.Sprintf(".out.bin%s%d-123", tmpTag, dead))
	mine := filepath.Join(dir, fmt.Sprintf(".out.bin%s%d-456", tmpTag, os.Getpid()))
	other := filepath.Join(dir, fmt.Sprintf(".other.bin%s%d-789", tmpTag, dead))
	for _, p := range []string{stale, mine, other} {
		os.WriteFile(p, []byte("partial"), 0o600)
	}
	if err := WriteBytes(filepath.Join(dir, "out.bin"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale temporary file of a dead process kept")
	}
	for _, p := range []string{mine, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: a live process's or another destination's temporary file", p)
		}
	}
}

// With a handler of its own installed, the process survives the signal: the
// write is aborted, the temporary file removed, the destination untouched.
func TestSignalAbortsWriteAndRemovesTemp(t *testing.T) {
	own := make(chan os.Signal, 4)
	signal.Notify(own, syscall.SIGTERM)
	defer signal.Stop(own)
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	os.WriteFile(p, []byte("previous"), 0o644)
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte(strings.Repeat("x", 1<<17)))
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(200 * time.Millisecond) // the signal is handled meanwhile
		_, err := w.Write([]byte("more"))
		return err
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "previous" {
		t.Fatalf("destination holds %q", b)
	}
	assertNoTemp(t, dir)
	select {
	case <-own:
	case <-time.After(2 * time.Second):
		t.Fatal("the program's own handler never saw the signal")
	}
}

// Without a handler the process terminates on the signal, and the temporary
// file is gone.
func TestSignalKillsChildWithoutTemp(t *testing.T) {
	if os.Getenv("ATOMICFILE_CHILD") != "" {
		Write(os.Getenv("ATOMICFILE_CHILD"), func(w io.Writer) error {
			w.Write([]byte(strings.Repeat("x", 1<<17)))
			fmt.Println("writing")
			time.Sleep(10 * time.Second)
			return nil
		})
		os.Exit(3)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		cmd := exec.Command(os.Args[0], "-test.run=^TestSignalKillsChildWithoutTemp$")
		cmd.Env = append(os.Environ(), "ATOMICFILE_CHILD="+p)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64)
		n, _ := stdout.Read(buf)
		if !strings.Contains(string(buf[:n]), "writing") {
			t.Fatalf("child said %q", buf[:n])
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() == 3 || ee.ExitCode() == 0 {
			t.Fatalf("%v: child ended with %v, want death by the signal", sig, err)
		}
		assertNoTemp(t, dir)
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%v: destination exists after an aborted first write", sig)
		}
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if IsTemp(e.Name()) {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}
