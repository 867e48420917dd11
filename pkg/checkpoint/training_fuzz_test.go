package checkpoint

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/strictjson"
)

// FuzzParsePointer: the checkpoint pointer parser never panics, and what it
// accepts names a plain step directory and both files.
func FuzzParsePointer(f *testing.F) {
	h := strings.Repeat("a", 64)
	f.Add([]byte(`{"format":"tokendyn-checkpoint/1","step":3,"dir":"step-00000003","files":{"model.safetensors":{"bytes":1,"sha256":"` + h + `"},"optimizer.safetensors":{"bytes":2,"sha256":"` + h + `"}}}`))
	f.Add([]byte(`{"format":"tokendyn-checkpoint/1","step":3,"dir":"../x","files":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePointer(b)
		if err != nil {
			return
		}
		if strings.ContainsAny(p.Dir, `/\`) || !strings.HasPrefix(p.Dir, stepDirPrefix) || p.Dir == ".." {
			t.Fatalf("accepted dir %q", p.Dir)
		}
		if _, ok := p.Files[WeightsFile]; !ok || len(p.Files) != 2 {
			t.Fatalf("accepted files %v", p.Files)
		}
	})
}

// FuzzCheckpointMetadata: the metadata checks of a checkpoint never panic,
// refuse with one line, and what they accept is at a non-negative step equal
// to the state's, with state and options that re-encode to the same values.
func FuzzCheckpointMetadata(f *testing.F) {
	f.Add("3", "3", `{"step":3}`, `{}`, "v", "v")
	f.Add("3", "4", `{"step":3}`, `{}`, "v", "w")
	f.Add("-1", "-1", `{"step":-1}`, `null`, "", "")
	f.Add("2", "2", `{"step":2,"step":2}`, `{"lr":1e-3} x`, "a", "b")
	f.Fuzz(func(t *testing.T, ms, os, state, options, mv, ov string) {
		model := map[string]string{"tokendyn.step": ms, "tokendyn.config": mv}
		opt := map[string]string{"tokendyn.step": os, "tokendyn.state": state, "tokendyn.options": options, "tokendyn.config": ov}
		var ck struct {
			State struct {
				Step    int       `json:"step"`
				History []float64 `json:"history"`
			}
			Options struct {
				LR float64 `json:"lr"`
			}
		}
		saved, err := parseTrainingMeta(model, opt, &ck.State, &ck.Options)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if ms != os || mv != ov || saved.Step < 0 || ck.State.Step != saved.Step {
			t.Fatalf("accepted steps %q/%q, config %q/%q: step %d, state step %d", ms, os, mv, ov, saved.Step, ck.State.Step)
		}
		for _, v := range []any{&ck.State, &ck.Options} {
			enc, err := json.Marshal(v)
			if err != nil {
				t.Skip("not representable in JSON")
			}
			var again = reflect.New(reflect.TypeOf(v).Elem()).Interface()
			if err := strictjson.Decode(enc, again); err != nil || !reflect.DeepEqual(again, v) {
				t.Fatalf("round trip of %T: %v\n%+v\n%+v", v, err, v, again)
			}
		}
	})
}
