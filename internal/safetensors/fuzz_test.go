package safetensors

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Decode. It must never panic, and
// whatever it accepts must re-encode into a file that decodes to the same
// tensors (bit for bit) and metadata, and re-encodes to the same bytes.
//
//	go test ./internal/safetensors -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	f.Add(validFile())
	f.Add(rawFile(`{}`, nil))
	f.Add(rawFile(`{"__metadata__":null,"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`, nil))
	f.Add(rawFile(`{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"g":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}`, []byte{1, 0x7e, 0, 0xfc, 0xc1, 0xff}))
	f.Add(validFile()[:40])
	f.Add(rawFile(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, le32(1)))
	f.Add(rawFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, le32(1)))
	rng := rand.New(rand.NewPCG(4, 4))
	for range 4 {
		b, err := Encode(randomTensors(rng), map[string]string{"k": "v"})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data)
		if err != nil {
			return
		}
		b1, err := Encode(file.Tensors, file.Metadata)
		if err != nil {
			t.Fatalf("accepted file does not re-encode: %v", err)
		}
		again, err := Decode(b1)
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		if len(again.Tensors) != len(file.Tensors) || !maps.Equal(again.Metadata, file.Metadata) {
			t.Fatalf("re-read %d tensors, metadata %v; want %d, %v", len(again.Tensors), again.Metadata, len(file.Tensors), file.Metadata)
		}
		for _, want := range file.Tensors {
			got, ok := again.Tensor(want.Name)
			if !ok || !sameTensor(got, want) {
				t.Fatalf("tensor %q re-read as %+v, want %+v", want.Name, got, want)
			}
		}
		b2, err := Encode(again.Tensors, again.Metadata)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("encoding is not idempotent (%v)", err)
		}
	})
}
