package safetensors

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

// FuzzParseHeaderAgainstEncodingJSON checks the one-pass header parser
// against encoding/json, an independent implementation: whatever
// parseHeader accepts is valid JSON, and encoding/json reads from it the
// same tensor names, dtypes, shapes, offsets and metadata (escapes and
// surrogates included).
//
//	go test ./internal/safetensors -run '^$' -fuzz FuzzParseHeaderAgainstEncodingJSON -fuzztime 30s
func FuzzParseHeaderAgainstEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, ` {"__metadata__":null} `, `{"__metadata__":{"a\u00e9\ud83d\ude00":"\"\\\/\b\f\n\r\t"}}`,
		`{"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`,
		`{"x\ud800":{"dtype":"BF16","shape":[],"data_offsets":[0,2]},"y":{"shape":[0],"dtype":"F64","data_offsets":[2,2]}}`,
		`{"x":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}}`, `{"a":1,}`, `{"x":{"dtype":"F32","shape":[1e3],"data_offsets":[0,4]}}`,
		`{"x":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}`, "{\"\t\":{}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, h []byte) {
		hd, err := parseHeader(h)
		if err != nil {
			return
		}
		if !json.Valid(h) {
			t.Fatalf("accepted invalid JSON %q", h)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(h, &raw); err != nil {
			t.Fatalf("encoding/json cannot read the accepted header %q: %v", h, err)
		}
		names := map[string]bool{}
		for _, e := range hd.entries {
			names[e.name] = true
			var rec struct {
				DType       string   `json:"dtype"`
				Shape       []int    `json:"shape"`
				DataOffsets []uint64 `json:"data_offsets"`
			}
			if err := json.Unmarshal(raw[e.name], &rec); err != nil {
				t.Fatalf("tensor %q: encoding/json: %v", e.name, err)
			}
			if rec.DType != string(e.dtype) || !slices.Equal(rec.Shape, e.shape) || len(rec.DataOffsets) != 2 ||
				rec.DataOffsets[0] != e.begin || rec.DataOffsets[1] != e.end {
				t.Fatalf("tensor %q: parsed %+v, encoding/json reads %+v", e.name, e, rec)
			}
		}
		for k := range raw {
			if k != metadataKey && !names[k] {
				t.Fatalf("encoding/json sees key %q that the parser did not return", k)
			}
		}
		var md map[string]string
		if m, ok := raw[metadataKey]; ok {
			if err := json.Unmarshal(m, &md); err != nil {
				t.Fatalf("metadata: encoding/json: %v", err)
			}
		}
		if !maps.Equal(md, hd.metadata) {
			t.Fatalf("metadata %v, encoding/json reads %v", hd.metadata, md)
		}
	})
}
