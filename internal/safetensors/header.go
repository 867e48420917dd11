package safetensors

import (
	"bytes"
	"fmt"
	"math"
	"unicode/utf8"
)

const metadataKey = "__metadata__"

// MaxHeaderSize bounds the JSON header, as the reference implementation
// does (100 MB), so a corrupt length cannot make a reader allocate the
// moon.
const MaxHeaderSize = 100_000_000

// entry is one tensor's header record.
type entry struct {
	name       string
	dtype      DType
	shape      []int
	begin, end uint64
}

// header is the parsed JSON header.
type header struct {
	entries  []entry
	metadata map[string]string
}

// parseHeader parses the JSON header strictly: a single object, UTF-8, only
// whitespace after it, unique keys, "__metadata__" a string → string map
// (or null), every other key a tensor record with exactly the fields dtype
// (a string), shape (non-negative integers) and data_offsets (two
// non-negative integers).
//
// It is a single left-to-right pass over h (see lexer) that allocates only
// what it returns — names, metadata strings, one exactly sized slice per
// shape — so time and memory are linear in len(h): a header at the 100 MB
// cap parses in about a second (BenchmarkParseHeader,
// TestHeaderNearTheCapParsesInBoundedMemory).
func parseHeader(h []byte) (*header, error) {
	if !utf8.Valid(h) {
		return nil, fmt.Errorf("header is not valid UTF-8")
	}
	l := &lexer{b: h}
	if l.ws(); l.i >= len(h) || h[l.i] != '{' {
		return nil, fmt.Errorf("header does not start with a JSON object")
	}
	// Every record names data_offsets once: its count sizes the slices and
	// the map exactly (a hint; a wrong count only costs a regrowth).
	records := bytes.Count(h, []byte(`"data_offsets"`))
	hd := &header{entries: make([]entry, 0, records)}
	seen := make(map[string]struct{}, records)
	err := l.object(func() error {
		key, err := l.str("tensor name")
		if err != nil {
			return err
		}
		if _, dup := seen[key]; dup {
			return fmt.Errorf("header names %q twice", key)
		}
		seen[key] = struct{}{}
		if err := l.expect(':'); err != nil {
			return err
		}
		if key == metadataKey {
			hd.metadata, err = parseMetadata(l)
			return err
		}
		if key == "" {
			return fmt.Errorf("header has a tensor with an empty name")
		}
		e, err := parseEntry(l, key)
		if err != nil {
			return fmt.Errorf("tensor %q: %w", key, err)
		}
		hd.entries = append(hd.entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if l.ws(); l.i < len(h) {
		return nil, fmt.Errorf("header has data after its JSON object")
	}
	return hd, nil
}

// parseMetadata reads null or a flat object of strings.
func parseMetadata(l *lexer) (map[string]string, error) {
	if l.literal("null") {
		return nil, nil
	}
	if l.ws(); l.i < len(l.b) && l.b[l.i] != '{' {
		d, err := l.describe()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", metadataKey, err)
		}
		return nil, fmt.Errorf("%s is %s, want an object of strings", metadataKey, d)
	}
	md := map[string]string{}
	err := l.object(func() error {
		k, err := l.str(metadataKey + " key")
		if err != nil {
			return err
		}
		if _, dup := md[k]; dup {
			return fmt.Errorf("%s names %q twice", metadataKey, k)
		}
		if err := l.expect(':'); err != nil {
			return err
		}
		v, err := l.str(fmt.Sprintf("%s value of %q", metadataKey, k))
		if err != nil {
			return err
		}
		md[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return md, nil
}

// parseEntry reads {"dtype": ..., "shape": [...], "data_offsets": [b, e]}.
func parseEntry(l *lexer, name string) (entry, error) {
	e := entry{name: name}
	var haveDType, haveShape, haveOffsets bool
	err := l.object(func() error {
		field, err := l.str("field name")
		if err != nil {
			return err
		}
		if err := l.expect(':'); err != nil {
			return err
		}
		switch field {
		case "dtype":
			if haveDType {
				return fmt.Errorf("field dtype given twice")
			}
			haveDType = true
			s, err := l.str("dtype")
			if err != nil {
				return err
			}
			e.dtype = internDType(s)
			if !e.dtype.supported() {
				return fmt.Errorf("dtype %q is not supported (supported: F32, F64, F16, BF16)", s)
			}
		case "shape":
			if haveShape {
				return fmt.Errorf("field shape given twice")
			}
			haveShape = true
			if e.shape, err = uintArray[int](l, "shape", math.MaxInt); err != nil {
				return err
			}
		case "data_offsets":
			if haveOffsets {
				return fmt.Errorf("field data_offsets given twice")
			}
			haveOffsets = true
			off, err := uintArray[uint64](l, "data_offsets", math.MaxUint64)
			if err != nil {
				return err
			}
			if len(off) != 2 {
				return fmt.Errorf("data_offsets has %d numbers, want 2", len(off))
			}
			e.begin, e.end = off[0], off[1]
		default:
			return fmt.Errorf("unknown field %q (want dtype, shape, data_offsets)", field)
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	switch {
	case !haveDType:
		return e, fmt.Errorf("missing field dtype")
	case !haveShape:
		return e, fmt.Errorf("missing field shape")
	case !haveOffsets:
		return e, fmt.Errorf("missing field data_offsets")
	}
	return e, nil
}

// internDType returns the package's constant for a supported dtype name (no
// allocation per record), else s.
func internDType(s string) DType {
	for _, d := range []DType{F32, F64, F16, BF16} {
		if string(d) == s {
			return d
		}
	}
	return DType(s)
}
