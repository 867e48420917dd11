package lmrun

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseConfig: any input is either refused with one line, or decodes to
// a configuration whose re-encoding decodes to the same configuration.
func FuzzParseConfig(f *testing.F) {
	base, _ := Preset("tiny")
	for _, s := range []string{`{}`, `{"model":{"d_model":8}}`, `{"model":{"d_model":8,"d_model":9}}`, `null`, `{"train":{"lr":1e-3}} x`, `{"data":{"name":"gcide","seq_len":4}}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b, base)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		enc, err := json.Marshal(c)
		if err != nil {
			t.Skip("not representable (e.g. NaN cannot come from JSON)")
		}
		c2, err := ParseConfig(enc, Config{})
		if err != nil || c2 != c {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, c, c2)
		}
	})
}
