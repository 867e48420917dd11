package safetensors

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// lexer reads the JSON of a safetensors header in one pass over b, with the
// grammar of RFC 8259 (strings with every escape, numbers, literals); the
// caller has checked that b is valid UTF-8. Errors are those of a JSON
// decoder: "malformed JSON: …" for a syntax error, "header ends early" for
// a premature end.
type lexer struct {
	b []byte
	i int
}

var errEarlyEnd = fmt.Errorf("malformed JSON: header ends early")

func (l *lexer) ws() {
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case ' ', '\t', '\r', '\n':
			l.i++
		default:
			return
		}
	}
}

func (l *lexer) syntax(what string) error {
	if l.i >= len(l.b) {
		return errEarlyEnd
	}
	r, _ := utf8.DecodeRune(l.b[l.i:])
	return fmt.Errorf("malformed JSON: invalid character %q %s at offset %d", r, what, l.i)
}

// expect consumes the delimiter c, after whitespace.
func (l *lexer) expect(c byte) error {
	l.ws()
	if l.i >= len(l.b) {
		return errEarlyEnd
	}
	if l.b[l.i] != c {
		if c == ':' || c == ',' {
			return l.syntax(fmt.Sprintf("where %q was expected", c))
		}
		d, err := l.describe()
		if err != nil {
			return err
		}
		return fmt.Errorf("found %s where %q was expected", d, string(c))
	}
	l.i++
	return nil
}

// object reads {member, member, …}, calling member for each (it must
// consume the key, the colon and the value).
func (l *lexer) object(member func() error) error {
	if err := l.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		l.ws()
		if l.i >= len(l.b) {
			return errEarlyEnd
		}
		if l.b[l.i] == '}' {
			if !first && l.b[l.i-1] == ',' {
				return l.syntax("after a comma")
			}
			l.i++
			return nil
		}
		if !first {
			if err := l.expect(','); err != nil {
				return err
			}
		}
		if err := member(); err != nil {
			return err
		}
	}
}

// literal consumes word (null, true, false) if it is next.
func (l *lexer) literal(word string) bool {
	l.ws()
	if len(l.b)-l.i >= len(word) && string(l.b[l.i:l.i+len(word)]) == word {
		l.i += len(word)
		return true
	}
	return false
}

// describe names the JSON value that starts at l.i, for a type error.
func (l *lexer) describe() (string, error) {
	l.ws()
	if l.i >= len(l.b) {
		return "", errEarlyEnd
	}
	switch c := l.b[l.i]; {
	case c == '{' || c == '[':
		return strconv.Quote(string(c)), nil
	case c == '"':
		s, err := l.rawString()
		if err != nil {
			return "", err
		}
		return "string " + strconv.Quote(s), nil
	case c == '-' || c >= '0' && c <= '9':
		n, err := l.number()
		if err != nil {
			return "", err
		}
		return "number " + n, nil
	case l.literal("null"):
		return "null", nil
	case l.literal("true"):
		return "boolean true", nil
	case l.literal("false"):
		return "boolean false", nil
	}
	return "", l.syntax("looking for the beginning of a value")
}

// str reads a string value.
func (l *lexer) str(what string) (string, error) {
	l.ws()
	if l.i >= len(l.b) {
		return "", fmt.Errorf("%s: %w", what, errEarlyEnd)
	}
	if l.b[l.i] != '"' {
		d, err := l.describe()
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		return "", fmt.Errorf("%s is %s, want a string", what, d)
	}
	s, err := l.rawString()
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return s, nil
}

// rawString reads a string starting at its opening quote. A string without
// escapes is one allocation (the copy returned).
func (l *lexer) rawString() (string, error) {
	l.i++ // opening quote
	start := l.i
	for l.i < len(l.b) {
		switch c := l.b[l.i]; {
		case c == '"':
			s := string(l.b[start:l.i])
			l.i++
			return s, nil
		case c == '\\':
			return l.escapedString(start)
		case c < 0x20:
			return "", l.syntax("in a string literal")
		default:
			l.i++
		}
	}
	return "", errEarlyEnd
}

// escapedString finishes a string holding escapes, from start.
func (l *lexer) escapedString(start int) (string, error) {
	out := append([]byte(nil), l.b[start:l.i]...)
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case c == '"':
			l.i++
			return string(out), nil
		case c < 0x20:
			return "", l.syntax("in a string literal")
		case c != '\\':
			out = append(out, c)
			l.i++
			continue
		}
		if l.i+1 >= len(l.b) {
			return "", errEarlyEnd
		}
		l.i++
		switch e := l.b[l.i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := l.hex4(l.i + 1)
			if !ok {
				return "", l.syntax("in \\u escape")
			}
			l.i += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if l.i+6 < len(l.b) && l.b[l.i+1] == '\\' && l.b[l.i+2] == 'u' {
					r2, ok2 = l.hex4(l.i + 3)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					l.i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", l.syntax("in string escape code")
		}
		l.i++
	}
	return "", errEarlyEnd
}

// hex4 decodes the four hex digits at b[at:at+4].
func (l *lexer) hex4(at int) (rune, bool) {
	if at+4 > len(l.b) {
		return 0, false
	}
	var r rune
	for _, c := range l.b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (l *lexer) number() (string, error) {
	start := l.i
	digits := func() int {
		n := 0
		for l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '9' {
			l.i++
			n++
		}
		return n
	}
	if l.i < len(l.b) && l.b[l.i] == '-' {
		l.i++
	}
	switch {
	case l.i >= len(l.b):
		return "", errEarlyEnd
	case l.b[l.i] == '0':
		l.i++
	case digits() == 0:
		return "", l.syntax("in numeric literal")
	}
	if l.i < len(l.b) && l.b[l.i] == '.' {
		l.i++
		if digits() == 0 {
			return "", l.syntax("after decimal point in numeric literal")
		}
	}
	if l.i < len(l.b) && (l.b[l.i] == 'e' || l.b[l.i] == 'E') {
		l.i++
		if l.i < len(l.b) && (l.b[l.i] == '+' || l.b[l.i] == '-') {
			l.i++
		}
		if digits() == 0 {
			return "", l.syntax("in exponent of numeric literal")
		}
	}
	return string(l.b[start:l.i]), nil
}

// uintArray reads an array of non-negative integers, each at most maxV,
// into a slice of exactly its length (counted first, so a long array is not
// regrown).
func uintArray[T int | uint64](l *lexer, what string, maxV uint64) ([]T, error) {
	if err := l.expect('['); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	n := 1
	for j := l.i; j < len(l.b) && l.b[j] != ']'; j++ {
		if l.b[j] == ',' {
			n++
		}
	}
	out := make([]T, 0, n)
	for first := true; ; first = false {
		l.ws()
		if l.i >= len(l.b) {
			return nil, fmt.Errorf("%s: %w", what, errEarlyEnd)
		}
		if l.b[l.i] == ']' && (first || l.b[l.i-1] != ',') {
			l.i++
			return out, nil
		}
		if !first {
			if err := l.expect(','); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			l.ws()
		}
		if l.i < len(l.b) && (l.b[l.i] == '-' || l.b[l.i] >= '0' && l.b[l.i] <= '9') {
			num, err := l.number()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			v, err := strconv.ParseUint(num, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s holds %s, want non-negative integers", what, num)
			}
			if v > maxV {
				return nil, fmt.Errorf("%s size %d is too large", what, v)
			}
			out = append(out, T(v))
			continue
		}
		d, err := l.describe()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return nil, fmt.Errorf("%s holds %s, want non-negative integers", what, d)
	}
}
