// Package strictjson decodes JSON configurations and checkpoint metadata
// strictly: unknown or duplicate keys, wrong types and trailing data are
// refused with one line naming the key.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// Decode decodes one JSON value from b into v (a pointer to a struct)
// and refuses, with one line naming the key: unknown keys (matched exactly,
// not case-insensitively as encoding/json does), duplicate keys, null (except
// for a slice, map or pointer, which encoding/json writes so when nil), values
// of the wrong type, and anything after the value. Fields absent from b keep
// v's values.
func Decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := walkStrict(dec, reflect.TypeOf(v).Elem(), ""); err != nil {
		return err
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return fmt.Errorf("trailing data after the value: %v", err)
		}
		return fmt.Errorf("trailing data after the value (%v)", tok)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("key %s: a JSON %s, want %s", te.Field, te.Value, te.Type)
		}
		return err
	}
	return nil
}

func keyName(path string) string {
	if path == "" {
		return "the top level"
	}
	return "key " + path
}

// keyText is a key as an error line shows it: as is when it is a short run
// of printable characters, else quoted and cut to 40 bytes, so the line
// stays one line whatever the input holds.
func keyText(k string) string {
	plain := len(k) <= 40
	for _, r := range k {
		if !unicode.IsPrint(r) || r == '"' {
			plain = false
		}
	}
	if plain && k != "" {
		return k
	}
	if len(k) > 40 {
		k = k[:40] + "…"
	}
	return strconv.Quote(k)
}

// walkStrict reads one value of type t from dec, checking keys and nulls.
func walkStrict(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return fmt.Errorf("%s: no value (empty input?)", keyName(path))
		}
		return fmt.Errorf("%s: %v", keyName(path), err)
	}
	if tok == nil {
		if k := t.Kind(); k == reflect.Slice || k == reflect.Map || k == reflect.Pointer {
			return nil // how encoding/json writes a nil slice, map or pointer
		}
		return fmt.Errorf("%s: null is not allowed", keyName(path))
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	delim, isDelim := tok.(json.Delim)
	switch {
	case isDelim && delim == '{':
		return walkObject(dec, t, path)
	case isDelim && delim == '[':
		return walkArray(dec, t, path)
	}
	if t.Kind() == reflect.Struct || t.Kind() == reflect.Map || t.Kind() == reflect.Slice {
		return fmt.Errorf("%s: %s, want %s", keyName(path), tokenKind(tok), t)
	}
	return nil
}

// walkObject reads the members of an object, its '{' already read, as a
// value of type t (a struct, map or interface; not a pointer), refusing
// unknown and duplicate keys, then the closing '}'.
func walkObject(dec *json.Decoder, t reflect.Type, path string) error {
	if t.Kind() != reflect.Struct && t.Kind() != reflect.Map && t.Kind() != reflect.Interface {
		return fmt.Errorf("%s: an object, want %s", keyName(path), t)
	}
	var fields map[string]reflect.Type
	if t.Kind() == reflect.Struct {
		fields = jsonFields(t)
	}
	seen := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %v", keyName(path), err)
		}
		k, _ := kt.(string)
		sub := keyText(k)
		if path != "" {
			sub = path + "." + keyText(k)
		}
		if seen[k] {
			return fmt.Errorf("key %s appears twice", sub)
		}
		seen[k] = true
		var ft reflect.Type
		switch t.Kind() {
		case reflect.Struct:
			var ok bool
			if ft, ok = fields[k]; !ok {
				return fmt.Errorf("unknown key %s", sub)
			}
		case reflect.Map:
			ft = t.Elem()
		default:
			ft = t
		}
		if err := walkStrict(dec, ft, sub); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	return err
}

// walkArray reads the elements of an array, its '[' already read, as a
// value of type t (a slice, array or interface; not a pointer), then the
// closing ']'.
func walkArray(dec *json.Decoder, t reflect.Type, path string) error {
	if t.Kind() != reflect.Slice && t.Kind() != reflect.Array && t.Kind() != reflect.Interface {
		return fmt.Errorf("%s: an array, want %s", keyName(path), t)
	}
	et := t
	if t.Kind() != reflect.Interface {
		et = t.Elem()
	}
	for i := 0; dec.More(); i++ {
		if err := walkStrict(dec, et, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	_, err := dec.Token() // ']'
	return err
}

// tokenKind names a scalar JSON token by its kind, with the value only for
// numbers and booleans, so an error line never carries the input's text
// (which may hold newlines or be long).
func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return "a JSON string"
	case json.Number:
		return "the number " + v.String()
	case float64:
		return fmt.Sprintf("the number %g", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("a JSON %T", tok)
}

// jsonFields maps the JSON names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			for k, v := range jsonFields(f.Type) {
				m[k] = v
			}
			continue
		}
		m[name] = f.Type
	}
	return m
}

// ReadFile reads the JSON file at path, refusing one larger than max bytes
// (so a hostile input cannot make the reader allocate without bound).
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return b, nil
}
