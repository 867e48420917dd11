package experiment

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFingerprintSeesEveryBit(t *testing.T) {
	a := Fingerprint([]float64{1, 2, 3}, []float64{0.5})
	if a != Fingerprint([]float64{1, 2, 3}, []float64{0.5}) {
		t.Fatal("fingerprint is not deterministic")
	}
	for name, other := range map[string]string{
		"last bit":  Fingerprint([]float64{1, 2, math.Nextafter(3, 4)}, []float64{0.5}),
		"split":     Fingerprint([]float64{1, 2}, []float64{3, 0.5}),
		"signed 0":  Fingerprint([]float64{1, 2, 3}, []float64{0.5, math.Copysign(0, -1)}),
		"order":     Fingerprint([]float64{0.5}, []float64{1, 2, 3}),
		"truncated": Fingerprint([]float64{1, 2, 3}),
	} {
		if other == a {
			t.Errorf("%s: same fingerprint", name)
		}
	}
}

type cached struct {
	Runs []float64 `json:"runs"`
}

func TestLoadCacheValidates(t *testing.T) {
	dir := t.TempDir()
	path := CachePath(dir, "lm", Key{Data: "d", Numerics: "n"}.Hash())
	var r cached
	ok, err := LoadCache(path, &r, func() error { return nil })
	if ok || err != nil {
		t.Fatalf("missing file: %v, %v; want false, nil", ok, err)
	}
	if err := StoreCache(path, cached{Runs: []float64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	ok, err = LoadCache(path, &r, func() error {
		if len(r.Runs) != 2 {
			return errors.New("want 2 runs")
		}
		return nil
	})
	if !ok || err != nil || r.Runs[1] != 2 {
		t.Fatalf("valid file: %v, %v, %+v", ok, err, r)
	}
	for name, body := range map[string]string{
		"trailing": `{"runs":[1,2]} {}`,
		"unknown":  `{"runs":[1,2],"extra":1}`,
		"short":    `{"runs":[1]}`,
		"garbage":  `{"runs":`,
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		r = cached{}
		ok, err := LoadCache(path, &r, func() error {
			if len(r.Runs) != 2 {
				return errors.New("want 2 runs")
			}
			return nil
		})
		if ok || err == nil || !strings.Contains(err.Error(), filepath.Base(path)) || !strings.Contains(err.Error(), "invalid") {
			t.Errorf("%s: %v, %v; want an error naming the invalid file", name, ok, err)
		}
	}
}
