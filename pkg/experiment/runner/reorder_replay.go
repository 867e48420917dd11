package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// ReorderReplayJob retrains job k of spec (in Jobs' order, the order of
// Result.Runs) alone at its full configuration on the Fashion-MNIST of
// spec.DataDir and compares its record bit for bit with the same (patch,
// arm, seed) in the committed result (a file such as
// docs/results/reorder.json, reduced or full), which must be a valid result
// of spec under the key the current code and data give. Every number the
// committed record holds must be equal: the final and per-epoch accuracies,
// losses, learning rates and row maxima, the steps, the parameter count and
// the hash of the final weights; only wall-clock seconds are left out, and
// the importance records when the committed copy is reduced (it has none).
// The run trains on spec.Threads workers (0: GOMAXPROCS), which no number
// depends on. It neither reads nor writes the cache; log gets one line
// naming the run and the outcome.
func ReorderReplayJob(ctx context.Context, spec reorder.Spec, committed string, k int, log io.Writer) error {
	return replayReorderJob(ctx, spec, func() (*reorder.Data, error) { return reorder.LoadData(spec) }, committed, k, log)
}

// replayReorderJob is ReorderReplayJob on the data that load returns
// (their Digest enters the key), called once the committed file has been
// found valid.
func replayReorderJob(ctx context.Context, spec reorder.Spec, load func() (*reorder.Data, error), committed string, k int, log io.Writer) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	jobs := spec.Jobs()
	if k < 0 || k >= len(jobs) {
		return fmt.Errorf("reorder: replay: job %d outside [0, %d)", k, len(jobs))
	}
	c, err := loadCommittedReorder(committed, spec)
	if err != nil {
		return err
	}
	d, err := load()
	if err != nil {
		return err
	}
	key, err := ReorderKey(ctx, spec, d.Digest)
	if err != nil {
		return err
	}
	if hash := key.Hash(); c.Key != hash {
		why := "its numerics fingerprint is not this code's"
		if c.Data != d.Digest {
			why = "it was computed on other data"
		} else if c.Numerics == key.Numerics {
			why = "its key does not follow from its specification, data digest and numerics fingerprint"
		}
		return fmt.Errorf("reorder: replay: %s has key %.16s, but this code and data give %.16s (%s): "+
			"its numbers are not this code's (make figures retrains it, then refresh the file as pkg/figures TestReadmeReorderSummary says)",
			committed, c.Key, hash, why)
	}
	j := jobs[k]
	tok, ok := d.Tokens[j.Patch]
	if !ok {
		return fmt.Errorf("reorder: replay: the data have no tokens of patch size %d", j.Patch)
	}
	workers := spec.Threads
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	run, err := runJob(ctx, d, tok, spec, j.Arm, j.Seed, workers, nil)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s, %d tokens, seed %d", run.Arm, run.L, run.Seed)
	want := c.Runs[k] // Check: Runs are in Jobs' order
	if want.Patch != run.Patch || want.Arm != run.Arm || want.Seed != run.Seed {
		return fmt.Errorf("reorder: replay: run %d of %s is (%s, patch %d, seed %d), want (%s)", k+1, committed, want.Arm, want.Patch, want.Seed, name)
	}
	if field, got, exp, differ := firstDifference(reflect.ValueOf(run), reflect.ValueOf(want), "", c.Reduced); differ {
		return fmt.Errorf("reorder: replay of run %d of %d (%s) against %s: %s is %s replayed, %s committed",
			k+1, len(jobs), name, committed, field, got, exp)
	}
	if log != nil {
		fmt.Fprintf(log, "experiment reorder: replayed run %d of %d (%s) at its full configuration in %.0f s: every number equal to %s bit for bit\n",
			k+1, len(jobs), name, run.Seconds, committed)
	}
	return nil
}

// loadCommittedReorder reads the result at path (reduced, as
// docs/results/reorder.json, or full) and checks it as the experiment does
// a stored or committed result: strictly decoded, valid against its own
// specification (reorder.DecodeReduced, reorder.Decode), and that
// specification spec's.
func loadCommittedReorder(path string, spec reorder.Spec) (*reorder.Result, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reorder: replay: no committed result at %s", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reorder: replay: committed result: %w", err)
	}
	var head struct {
		Reduced bool `json:"reduced"`
	}
	_ = json.Unmarshal(b, &head) // a malformed file is the decoder's to report
	decode := reorder.Decode
	if head.Reduced {
		decode = reorder.DecodeReduced
	}
	r, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("reorder: replay: committed result %s: %w", path, err)
	}
	x, _ := json.Marshal(r.Spec)
	y, _ := json.Marshal(spec)
	if string(x) != string(y) {
		return nil, fmt.Errorf("reorder: replay: %s is a result of another specification than the one replayed", path)
	}
	return r, nil
}

// firstDifference walks two values of the same type (a reorder.Record and
// what it holds) field by field in declaration order and returns the JSON
// path of the first one that differs, with both values; floating-point
// numbers are compared by their bits. Fields the JSON leaves out ("-")
// and wall-clock seconds are skipped, and importance records when the
// committed copy is reduced.
func firstDifference(a, b reflect.Value, path string, reduced bool) (field, av, bv string, differ bool) {
	switch a.Kind() {
	case reflect.Struct:
		t := a.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" {
				name = t.Field(i).Name
			}
			if name == "-" || name == "seconds" || reduced && name == "importance" {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			if f, x, y, ok := firstDifference(a.Field(i), b.Field(i), p, reduced); ok {
				return f, x, y, true
			}
		}
		return "", "", "", false
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path, presence(a), presence(b), true
			}
			return "", "", "", false
		}
		return firstDifference(a.Elem(), b.Elem(), path, reduced)
	case reflect.Slice, reflect.Array:
		for i := range min(a.Len(), b.Len()) {
			if f, x, y, ok := firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), reduced); ok {
				return f, x, y, true
			}
		}
		if a.Len() != b.Len() {
			return path + " length", strconv.Itoa(a.Len()), strconv.Itoa(b.Len()), true
		}
		return "", "", "", false
	case reflect.Float64:
		if x, y := a.Float(), b.Float(); math.Float64bits(x) != math.Float64bits(y) {
			return path, floatBits(x, 64), floatBits(y, 64), true
		}
		return "", "", "", false
	case reflect.Float32:
		if x, y := float32(a.Float()), float32(b.Float()); math.Float32bits(x) != math.Float32bits(y) {
			return path, floatBits(float64(x), 32), floatBits(float64(y), 32), true
		}
		return "", "", "", false
	}
	if x, y := a.Interface(), b.Interface(); x != y {
		return path, fmt.Sprintf("%v", x), fmt.Sprintf("%v", y), true
	}
	return "", "", "", false
}

// floatBits is v in the shortest decimal that reads back as the same
// float of size bits, with those bits in hexadecimal.
func floatBits(v float64, size int) string {
	if size == 32 {
		return fmt.Sprintf("%s (%#08x)", strconv.FormatFloat(v, 'g', -1, 32), math.Float32bits(float32(v)))
	}
	return fmt.Sprintf("%s (%#016x)", strconv.FormatFloat(v, 'g', -1, 64), math.Float64bits(v))
}

func presence(v reflect.Value) string {
	if v.IsNil() {
		return "absent"
	}
	return "present"
}
