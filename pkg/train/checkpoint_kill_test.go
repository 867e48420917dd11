package train

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

const killChildEnv = "TOKENDYN_CHECKPOINT_KILL_CHILD"

// killRunOptions is the run of the kill test: a checkpoint after every
// update, so that most of the child's time is spent checkpointing.
func killRunOptions(dir string) lmrun.Options {
	o := tinyOptions(1 << 20)
	o.EvalEvery, o.CheckpointEvery, o.CheckpointDir = 0, 1, dir
	return o
}

func newKillTrainer(t *testing.T, dir string) *Trainer[float32, uint8] {
	tr, va := tinySetup(t, 8)
	tn, err := NewTrainer[float32](newTiny[float32](12, 6, 0.1, 7), tr, va, killRunOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	tn.Aliases = map[string]string{"tied.copy": "lm_head.weight"}
	tn.Meta = map[string]string{"tokendyn.config": `{"kill":"test"}`}
	return tn
}

// TestCheckpointSurvivesSIGKILL re-executes the test binary as a child that
// trains with a checkpoint after every update (resuming what is there), and
// kills it with SIGKILL at many instants. After each kill the checkpoint must
// load, be at a step no earlier than the last one seen, and hold exactly the
// weights of an uninterrupted run at that step (bit for bit).
func TestCheckpointSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary many times")
	}
	dir := t.TempDir()
	ref := newKillTrainer(t, "")
	ref.Opts.CheckpointDir = ""
	const kills = 100
	last, midWrite := -1, 0
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCheckpointSurvivesSIGKILL$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || !strings.HasPrefix(line, "checkpointed") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child said %q (%v)", i, line, err)
		}
		// Spread the kills over a few milliseconds of checkpointing: the
		// instants fall at different places of the write sequence.
		time.Sleep(time.Duration(i%10)*700*time.Microsecond + time.Duration(i/10)*150*time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if leftovers(dir) {
			midWrite++
		}
		tn := newKillTrainer(t, dir)
		ck, err := tn.Resume(dir)
		if err != nil {
			t.Fatalf("kill %d: the checkpoint does not load: %v", i, err)
		}
		if ck.Step < last {
			t.Fatalf("kill %d: checkpoint went back from step %d to %d", i, last, ck.Step)
		}
		last = ck.Step
		for ref.Opt.Step < ck.Step {
			if _, err := ref.Step(); err != nil {
				t.Fatal(err)
			}
		}
		for j, p := range ref.Opt.Params() {
			if !slices.Equal(p.W, tn.Opt.Params()[j].W) || !slices.Equal(ref.Opt.M[j], tn.Opt.M[j]) {
				t.Fatalf("kill %d: %s at step %d differs from the uninterrupted run", i, p.Name, ck.Step)
			}
		}
	}
	t.Logf("%d SIGKILLs, %d of them during a checkpoint write (unpublished files left behind); every checkpoint loaded and matched the uninterrupted run; last step %d", kills, midWrite, last)
	if midWrite == 0 {
		t.Error("no kill landed during a checkpoint write: the test did not test anything")
	}
}

// leftovers reports whether dir holds traces of an interrupted checkpoint:
// temporary files or step directories the pointer does not name.
func leftovers(dir string) bool {
	var p checkpoint.Pointer
	if b, err := os.ReadFile(filepath.Join(dir, checkpoint.PointerFile)); err == nil {
		p, _ = checkpoint.ParsePointer(b)
	}
	found := false
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if atomicfile.IsTemp(d.Name()) || (d.IsDir() && strings.HasPrefix(d.Name(), "step-") && d.Name() != p.Dir) {
			found = true
		}
		return nil
	})
	return found
}

// killChild trains forever in dir, resuming its checkpoint if there is one,
// and says "checkpointed" after its first checkpoint.
func killChild(t *testing.T, dir string) {
	tn := newKillTrainer(t, dir)
	if checkpoint.HasTraining(dir) {
		if _, err := tn.Resume(dir); err != nil {
			fmt.Println("resume failed:", err)
			os.Exit(1)
		}
	}
	said := false
	tn.Run(context.Background(), Hooks{OnCheckpoint: func(step int, _ string) {
		if !said {
			fmt.Println("checkpointed", step)
			said = true
		}
	}})
	os.Exit(0)
}
