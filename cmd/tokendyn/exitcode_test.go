package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tokendyn/tokendyn/internal/safetensors"
)

// childEnv makes the test binary run the command instead of the tests (see
// TestMain), under a 4 GiB address-space limit (the Go runtime reserves
// address space well beyond what it uses: 1 GiB is too little for it), so that an unbounded
// allocation shows up as Go's "fatal error: out of memory" with a stack
// trace instead of slowing the machine.
const childEnv = "TOKENDYN_EXITCODE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		lim := &syscall.Rlimit{Cur: 4 << 30, Max: 4 << 30}
		_ = syscall.Setrlimit(syscall.RLIMIT_AS, lim)
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runChild runs `tokendyn args...` as a separate process.
func runChild(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	return code, o.String(), e.String()
}

// TestEveryCommandFailsInOneLine runs each subcommand, as its own process,
// on bad inputs and checks the exit status (1 for a failure, 2 only for a
// usage error: a bad flag or a flag value out of its documented range) and
// that stderr is exactly one line naming the problem — never a usage dump
// after a failure, never a Go panic, fatal error or stack trace.
func TestEveryCommandFailsInOneLine(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A 60-byte safetensors file whose header claims a 4 GB tensor.
	hdr := `{"u":{"dtype":"F32","shape":[1000000000],"data_offsets":[0,4000000000]}}`
	claim := file("claim.safetensors", append(binary.LittleEndian.AppendUint64(nil, uint64(len(hdr))), hdr...))
	garbage := file("garbage.safetensors", []byte("not a safetensors file at all"))
	// A valid 20 MB input whose outputs need 4 GB (last_state B·D·N).
	const nb, nd, nn = 1000, 1000, 1000
	big := filepath.Join(dir, "big.safetensors")
	if err := safetensors.WriteFile(big, []safetensors.Tensor{
		{Name: "u", DType: safetensors.F32, Shape: []int{nb, nd, 1}, F32: make([]float32, nb*nd)},
		{Name: "delta", DType: safetensors.F32, Shape: []int{nb, nd, 1}, F32: make([]float32, nb*nd)},
		{Name: "A", DType: safetensors.F32, Shape: []int{nd, nn}, F32: make([]float32, nd*nn)},
		{Name: "B", DType: safetensors.F32, Shape: []int{nd, nn}, F32: make([]float32, nd*nn)},
		{Name: "C", DType: safetensors.F32, Shape: []int{nd, nn}, F32: make([]float32, nd*nn)},
	}, nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.safetensors")
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	badJSON := file("bad.json", []byte(`{"model":{"d_model":8}} trailing`))
	runDir := filepath.Join(dir, "run")
	os.Mkdir(runDir, 0o755)
	asResult := file("run/result.json", []byte(`{}`))
	figOut := filepath.Join(dir, "fig")
	os.MkdirAll(filepath.Join(figOut, "assets"), 0o755)
	echartsIn := file("fig/assets/echarts.min.js", []byte(`/* version="5.4.3" */`))

	for _, c := range []struct {
		args []string
		code int
		want string // a substring of the one stderr line
	}{
		{[]string{}, 2, "Usage"},
		{[]string{"nosuch"}, 2, "unknown subcommand"},
		{[]string{"scan"}, 2, "-in and -out are required"},
		{[]string{"scan", "-in", garbage, "-out", out, "-threads", "0"}, 2, "-threads 0"},
		{[]string{"scan", "-in", garbage, "-out", out, "-memory", "lots"}, 2, "memory size"},
		{[]string{"scan", "-in", filepath.Join(dir, "missing"), "-out", out}, 1, "no such file"},
		{[]string{"scan", "-in", garbage, "-out", out}, 1, "exceeds the limit"},
		{[]string{"scan", "-in", claim, "-out", out}, 1, "run past"},
		{[]string{"scan", "-in", big, "-out", out, "-memory", "512M"}, 1, "memory budget"},
		{[]string{"scan", "-in", big, "-out", "/dev/full"}, 1, "not a regular file"},
		{[]string{"scan", "-in", big, "-out", big}, 1, "refusing to overwrite an input"},
		{[]string{"dynamics"}, 2, "--mu is required"},
		{[]string{"dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5,zz", "--t", "1"}, 2, `"zz" is not a number`},
		{[]string{"dynamics", "--mu", "1", "--sdelta", "1", "--a", "1", "--x0", "0.5", "--t", "1", "--rtol", "1e300"}, 2, "--rtol"},
		{[]string{"dynamics", "--mu", "-1", "--sdelta", "1", "--a", "1", "--x0", "0.5", "--t", "1e60"}, 1, "past what the solver resolves"},
		{[]string{"dynamics", "--mu", "-1", "--sdelta", "1", "--a", "1", "--x0", "1e-20", "--t", "1"}, 1, "below 1e-13"},
		{[]string{"train", "--config", filepath.Join(dir, "missing.json")}, 1, "no such file"},
		{[]string{"train", "--config", badJSON}, 1, "trailing"},
		{[]string{"train", "--preset", "tiny", "--threads", "100000"}, 1, "threads 100000: at most 1024"}, // checked with the configuration, which a file may give
		{[]string{"train", "--preset", "tiny", "--d-model", "1000000000", "--out", filepath.Join(dir, "t1")}, 1, "memory budget"},
		{[]string{"train", "--resume", empty}, 1, "checkpoint"},
		{[]string{"train", "--preset", "tiny", "--data", "wikitext103", "--data-dir", empty, "--out", filepath.Join(dir, "t2")}, 1, "wiki"},
		{[]string{"train", "--preset", "tiny", "--config", asResult, "--out", runDir}, 1, "refusing to overwrite an input"},
		{[]string{"train", "vision", "--seeds", "1,x"}, 2, "--seeds"},
		{[]string{"train", "vision", "--seeds", "1,2,1"}, 2, "seed 1 is given twice"},
		{[]string{"train", "vision", "--reorder", "maybe"}, 2, "--reorder"},
		{[]string{"train", "vision", "--quick", "--cache=false", "--data", empty, "--out", filepath.Join(dir, "v")}, 1, "empty"},
		{[]string{"figures", "--only", "no-such-artifact", "--out", figOut}, 2, "no-such-artifact"},
		{[]string{"figures", "--quick", "--only", "fig-1d-scenarios", "--out", filepath.Join(dir, "f2"), "--echarts", filepath.Join(dir, "missing.js")}, 1, "missing.js"},
		{[]string{"figures", "--quick", "--only", "tab1-dynamics", "--out", figOut, "--echarts", echartsIn}, 1, "refusing to overwrite an input"},
		{[]string{"bench", "nosuch"}, 2, "nosuch"},
		{[]string{"bench", "scan", "-B", "0"}, 2, "-B"},
		{[]string{"bench", "scan", "-B", "100000", "-D", "100000", "-L", "100000"}, 2, "too large"}, // flag values
	} {
		code, _, stderr := runChild(t, c.args...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		crash := strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") || strings.Contains(stderr, "fatal error")
		oneLine := len(lines) == 1 || c.code == 2 // a usage error may print the usage after its line
		if code != c.code || crash || !oneLine || !strings.Contains(lines[0]+stderr, c.want) {
			t.Errorf("tokendyn %s: exit %d (want %d), stderr %d lines, want %q in the first:\n%s",
				strings.Join(c.args, " "), code, c.code, len(lines), c.want, stderr)
		}
	}
}
