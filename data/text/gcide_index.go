package text

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// dictdAlphabet is the base64 alphabet of dictd index offsets and lengths
// (A = 0 ... / = 63), most significant digit first, no padding.
const dictdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeDictdNumber decodes one base64 number of a dictd index.
func decodeDictdNumber(s string) (int64, error) {
	if s == "" || len(s) > 10 { // 64^10 = 2^60: far beyond any dictionary
		return 0, fmt.Errorf("bad number %q", s)
	}
	var v int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(dictdAlphabet, s[i])
		if d < 0 {
			return 0, fmt.Errorf("bad number %q: %q is not a dictd base64 digit", s, s[i])
		}
		v = v*64 + int64(d)
	}
	return v, nil
}

// dictEntry is one article of a dictd dictionary: its bytes [Offset,
// Offset+Length) in the uncompressed .dict and every headword of the index
// that points at it.
type dictEntry struct {
	Offset, Length int64
	Names          []string
}

// parseDictdIndex reads a dictd .index ("headword TAB offset TAB length",
// one line per headword, offsets and lengths in dictd base64), checks every
// range against dictSize and returns the distinct articles sorted by
// offset. Articles must not overlap.
func parseDictdIndex(index []byte, dictSize int64) ([]dictEntry, error) {
	byRange := map[[2]int64]int{}
	var entries []dictEntry
	sc := bufio.NewScanner(bytes.NewReader(index))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 && len(f) != 4 { // dictfmt may append the original headword
			return nil, fmt.Errorf("index line %d: %d tab-separated fields, want 3", line, len(f))
		}
		off, err := decodeDictdNumber(f[1])
		if err != nil {
			return nil, fmt.Errorf("index line %d: offset: %w", line, err)
		}
		n, err := decodeDictdNumber(f[2])
		if err != nil {
			return nil, fmt.Errorf("index line %d: length: %w", line, err)
		}
		if off+n > dictSize {
			return nil, fmt.Errorf("index line %d (%q): entry [%d, %d) runs past the %d-byte dictionary", line, f[0], off, off+n, dictSize)
		}
		k := [2]int64{off, n}
		i, ok := byRange[k]
		if !ok {
			i = len(entries)
			byRange[k] = i
			entries = append(entries, dictEntry{Offset: off, Length: n})
		}
		entries[i].Names = append(entries[i].Names, f[0])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("index line %d: %w", line+1, err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("index is empty")
	}
	slices.SortFunc(entries, func(a, b dictEntry) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.Length, b.Length))
	})
	for i := 1; i < len(entries); i++ {
		if p := entries[i-1]; p.Offset+p.Length > entries[i].Offset {
			return nil, fmt.Errorf("index entries %q [%d, %d) and %q [%d, %d) overlap",
				p.Names[0], p.Offset, p.Offset+p.Length, entries[i].Names[0], entries[i].Offset, entries[i].Offset+entries[i].Length)
		}
	}
	return entries, nil
}
