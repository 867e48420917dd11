package safetensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
func parseHeader(h []byte) (*header, error) {
	if !utf8.Valid(h) {
		return nil, fmt.Errorf("header is not valid UTF-8")
	}
	if len(bytes.TrimLeft(h, " \t\r\n")) == 0 || bytes.TrimLeft(h, " \t\r\n")[0] != '{' {
		return nil, fmt.Errorf("header does not start with a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(h))
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	hd := &header{}
	seen := map[string]bool{}
	for dec.More() {
		key, err := stringToken(dec, "tensor name")
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, fmt.Errorf("header names %q twice", key)
		}
		seen[key] = true
		if key == metadataKey {
			if hd.metadata, err = parseMetadata(dec); err != nil {
				return nil, err
			}
			continue
		}
		if key == "" {
			return nil, fmt.Errorf("header has a tensor with an empty name")
		}
		e, err := parseEntry(dec, key)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", key, err)
		}
		hd.entries = append(hd.entries, e)
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("header has data after its JSON object")
	}
	return hd, nil
}

// parseMetadata reads null or a flat object of strings.
func parseMetadata(dec *json.Decoder) (map[string]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", metadataKey, jsonErr(err))
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("%s is %v, want an object of strings", metadataKey, describe(tok))
	}
	md := map[string]string{}
	for dec.More() {
		k, err := stringToken(dec, metadataKey+" key")
		if err != nil {
			return nil, err
		}
		if _, dup := md[k]; dup {
			return nil, fmt.Errorf("%s names %q twice", metadataKey, k)
		}
		v, err := stringToken(dec, fmt.Sprintf("%s value of %q", metadataKey, k))
		if err != nil {
			return nil, err
		}
		md[k] = v
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	return md, nil
}

// parseEntry reads {"dtype": ..., "shape": [...], "data_offsets": [b, e]}.
func parseEntry(dec *json.Decoder, name string) (entry, error) {
	e := entry{name: name}
	if err := expectDelim(dec, '{'); err != nil {
		return e, err
	}
	var haveDType, haveShape, haveOffsets bool
	for dec.More() {
		field, err := stringToken(dec, "field name")
		if err != nil {
			return e, err
		}
		switch field {
		case "dtype":
			if haveDType {
				return e, fmt.Errorf("field dtype given twice")
			}
			haveDType = true
			s, err := stringToken(dec, "dtype")
			if err != nil {
				return e, err
			}
			e.dtype = DType(s)
			if !e.dtype.supported() {
				return e, fmt.Errorf("dtype %q is not supported (supported: F32, F64, F16, BF16)", s)
			}
		case "shape":
			if haveShape {
				return e, fmt.Errorf("field shape given twice")
			}
			haveShape = true
			dims, err := uintArray(dec, "shape")
			if err != nil {
				return e, err
			}
			e.shape = make([]int, len(dims))
			for i, d := range dims {
				if d > math.MaxInt {
					return e, fmt.Errorf("shape size %d is too large", d)
				}
				e.shape[i] = int(d)
			}
		case "data_offsets":
			if haveOffsets {
				return e, fmt.Errorf("field data_offsets given twice")
			}
			haveOffsets = true
			off, err := uintArray(dec, "data_offsets")
			if err != nil {
				return e, err
			}
			if len(off) != 2 {
				return e, fmt.Errorf("data_offsets has %d numbers, want 2", len(off))
			}
			e.begin, e.end = off[0], off[1]
		default:
			return e, fmt.Errorf("unknown field %q (want dtype, shape, data_offsets)", field)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
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

// uintArray reads an array of non-negative integers.
func uintArray(dec *json.Decoder, what string) ([]uint64, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var out []uint64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, jsonErr(err))
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s holds %s, want non-negative integers", what, describe(tok))
		}
		v, err := strconv.ParseUint(string(num), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s holds %s, want non-negative integers", what, num)
		}
		out = append(out, v)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("found %s where %q was expected", describe(tok), want)
	}
	return nil
}

func stringToken(dec *json.Decoder, what string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, jsonErr(err))
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("%s is %s, want a string", what, describe(tok))
	}
	return s, nil
}

// jsonErr names a premature end of the header plainly.
func jsonErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("malformed JSON: header ends early")
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("string %q", v)
	case json.Number:
		return "number " + string(v)
	case bool:
		return fmt.Sprintf("boolean %v", v)
	}
	return fmt.Sprintf("%v", tok)
}
