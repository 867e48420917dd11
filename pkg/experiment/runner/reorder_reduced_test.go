package runner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// A reduced result gives exactly the summary and verdicts of the full one,
// round-trips through reorder.StoreReduced and reorder.DecodeReduced, leaves the full
// result untouched, and is refused where a full result is expected (and
// the other way round).
func TestReducedResult(t *testing.T) {
	s := tinyReorderSpec()
	r := tinyResult(t, s)
	r.Key, r.Numerics, r.Data = strings.Repeat("ab", 32), strings.Repeat("cd", 32), "digest"
	full, _ := json.Marshal(r)
	path := filepath.Join(t.TempDir(), "reduced.json")
	if err := reorder.StoreReduced(path, r); err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(r); string(after) != string(full) {
		t.Fatal("StoreReduced changed the full result")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	red, err := reorder.DecodeReduced(b)
	if err != nil {
		t.Fatal(err)
	}
	spec := r.Spec
	spec.Prereg = "" // never stored: Decided reads it from the repository
	if !red.Reduced || red.Key != r.Key || red.Numerics != r.Numerics || red.Data != r.Data || !reflect.DeepEqual(red.Spec, spec) {
		t.Errorf("the reduced result lost its identity: reduced %v, key %.8s, numerics %.8s, data %q", red.Reduced, red.Key, red.Numerics, red.Data)
	}
	for i, run := range red.Runs {
		if run.Importance != nil {
			t.Fatalf("run %d keeps its importance records", i)
		}
		want := r.Runs[i]
		want.Importance = nil
		if !reflect.DeepEqual(run, want) {
			t.Errorf("run %d differs from the full result's beyond its importance records", i)
		}
	}
	if !reflect.DeepEqual(red.Summary(), r.Summary()) || !reflect.DeepEqual(red.Verdict(), r.Verdict()) {
		t.Error("the reduced result's summary or verdicts differ from the full result's")
	}
	if len(b)*3 > len(full) {
		t.Errorf("reduced %d bytes against %d for the full result: want under a third", len(b), len(full))
	}

	// Where each kind is refused.
	if _, err := reorder.Decode(b); err == nil || !strings.Contains(err.Error(), "reduced") {
		t.Errorf("Decode of a reduced result: %v, want a refusal naming it reduced", err)
	}
	if _, err := reorder.DecodeReduced(full); err == nil || !strings.Contains(err.Error(), "not marked reduced") {
		t.Errorf("DecodeReduced of a full result: %v", err)
	}
	root := t.TempDir()
	cache := experiment.CachePath(root, reorder.CacheName, r.Key)
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := readCache(cache, s, r.Key); got != nil || err == nil || !strings.Contains(err.Error(), "reduced") {
		t.Errorf("a reduced result as cache entry: %v, %v; want it refused", got != nil, err)
	}
	var m map[string]any
	if err := json.Unmarshal(full, &m); err != nil {
		t.Fatal(err)
	}
	m["reduced"] = true // the records are still there
	withImp, _ := json.Marshal(m)
	for name, bad := range map[string][]byte{
		"importance kept": withImp,
		"no key":          []byte(strings.Replace(string(b), r.Key, "", 1)),
		"no numerics":     []byte(strings.Replace(string(b), r.Numerics, "", 1)),
		"epoch dropped":   []byte(strings.Replace(string(b), `"epoch": 2,`, `"epoch": 3,`, 1)),
		"trailing data":   append(append([]byte(nil), b...), "{}"...),
	} {
		if _, err := reorder.DecodeReduced(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r.Key = ""
	if err := reorder.StoreReduced(filepath.Join(t.TempDir(), "x.json"), r); err == nil {
		t.Error("StoreReduced of a result without a key succeeded")
	}
}
