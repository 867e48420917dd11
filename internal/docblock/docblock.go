// Package docblock reads and replaces the generated blocks of the
// repository's Markdown documents (README.md, docs/results/history/README.md):
// the text between a begin marker such as
//
//	<!-- begin tab1-dynamics summary (… kept equal by TestX) -->
//
// and its end marker. The tests that keep a block equal to what the code
// computes use Body to compare and Replace to regenerate it.
package docblock

import (
	"fmt"
	"strings"
)

// Body returns the text of doc between the first begin and the next end
// after it.
func Body(doc, begin, end string) (string, error) {
	i, j, err := find(doc, begin, end)
	if err != nil {
		return "", err
	}
	return doc[i:j], nil
}

// Replace returns doc with the text between begin and end replaced by body.
func Replace(doc, begin, end, body string) (string, error) {
	i, j, err := find(doc, begin, end)
	if err != nil {
		return "", err
	}
	return doc[:i] + body + doc[j:], nil
}

// find locates the body: [i, j) between the markers.
func find(doc, begin, end string) (i, j int, err error) {
	b := strings.Index(doc, begin)
	if b < 0 {
		return 0, 0, fmt.Errorf("docblock: no marker %q", strings.TrimSpace(begin))
	}
	i = b + len(begin)
	e := strings.Index(doc[i:], end)
	if e < 0 {
		return 0, 0, fmt.Errorf("docblock: marker %q has no %q after it", strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	return i, i + e, nil
}
