package text

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseDictdIndex: the dictd index parser never panics and refuses in
// one line; what it accepts lies inside the dictionary, sorted and without
// overlap, every article named, and re-encoding the articles (dictdNumber,
// the test's independent encoder) parses back to the same articles.
//
//	go test ./data/text -run '^$' -fuzz FuzzParseDictdIndex -fuzztime 30s
func FuzzParseDictdIndex(f *testing.F) {
	f.Add([]byte("a\tA\tK\nb\tK\tF\n"), int64(20))
	f.Add([]byte("00-database-info\tA\tB\norig\tB\tC\tOrig\n"), int64(10))
	f.Add([]byte("x\t//////////\tA\n"), int64(1))
	f.Add([]byte("a\tA\tK\nb\tA\tL\n"), int64(30))
	f.Add([]byte("a\tA\n"), int64(5))
	f.Fuzz(func(t *testing.T, index []byte, dictSize int64) {
		entries, err := parseDictdIndex(index, dictSize)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		var again bytes.Buffer
		for i, e := range entries {
			if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > dictSize || len(e.Names) == 0 {
				t.Fatalf("accepted article %+v in a %d-byte dictionary", e, dictSize)
			}
			if i > 0 && entries[i-1].Offset+entries[i-1].Length > e.Offset {
				t.Fatalf("articles %+v and %+v overlap or are unsorted", entries[i-1], e)
			}
			for _, n := range e.Names {
				fmt.Fprintf(&again, "%s\t%s\t%s\n", n, dictdNumber(e.Offset), dictdNumber(e.Length))
			}
		}
		back, err := parseDictdIndex(again.Bytes(), dictSize)
		if err != nil || !slices.EqualFunc(back, entries, func(a, b dictEntry) bool {
			return a.Offset == b.Offset && a.Length == b.Length && slices.Equal(a.Names, b.Names)
		}) {
			t.Fatalf("re-encoded index parses to %+v (%v), want %+v", back, err, entries)
		}
	})
}

// FuzzLoadGCIDEFiles: LoadGCIDE on an arbitrary .dict (plain or as a
// .dict.dz gzip stream) and index never panics and refuses in one line;
// what it accepts has three non-empty splits whose text the ASCII vocabulary
// encodes and whose articles come from the dictionary (their total size is
// bounded by the entries' lengths plus a headword line each).
//
//	go test ./data/text -run '^$' -fuzz FuzzLoadGCIDEFiles -fuzztime 30s
func FuzzLoadGCIDEFiles(f *testing.F) {
	var dict, index bytes.Buffer
	for i := range 60 {
		body := fmt.Sprintf("<p><hw>Word%d</hw> <pos>n.</pos> <def>The meaning number %d.</def></p>\n", i, i)
		fmt.Fprintf(&index, "word%d\t%s\t%s\n", i, dictdNumber(int64(dict.Len())), dictdNumber(int64(len(body))))
		dict.WriteString(body)
	}
	f.Add(dict.Bytes(), index.Bytes(), false)
	f.Add(dict.Bytes(), index.Bytes(), true)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, index.Bytes(), false)
	dir := f.TempDir() // one per worker process; the files are rewritten by each input
	f.Fuzz(func(t *testing.T, dictBytes, indexBytes []byte, gz bool) {
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(dictBytes)
			zw.Close()
			dictBytes = b.Bytes()
		}
		dp, ip := filepath.Join(dir, "gcide.dict.dz"), filepath.Join(dir, "gcide.index")
		os.WriteFile(dp, dictBytes, 0o644)
		os.WriteFile(ip, indexBytes, 0o644)
		c, err := LoadGCIDE(GCIDEOptions{Dict: dp, Index: ip})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		entries, err := parseDictdIndex(indexBytes, 1<<40)
		if err != nil {
			t.Fatalf("LoadGCIDE accepted an index parseDictdIndex refuses: %v", err)
		}
		var bound int64
		for _, e := range entries {
			bound += e.Length + 1 + int64(len(slices.Max(e.Names))) + 2
		}
		total := 0
		for s := Train; s <= Test; s++ {
			if len(c.Text[s]) == 0 {
				t.Fatalf("accepted corpus with an empty %s split", s)
			}
			if _, err := c.Vocab.Encode(c.Text[s]); err != nil {
				t.Fatalf("%s split not in the vocabulary: %v", s, err)
			}
			total += len(c.Text[s])
		}
		if int64(total) > 2*bound+64 {
			t.Fatalf("corpus of %d bytes from articles totalling at most %d", total, bound)
		}
	})
}

// FuzzLoadWikiText103: the WikiText loader on three arbitrary split files
// (with and without byte limits) never panics and refuses in one line; what
// it accepts is each file (or its longest whole-line prefix within the
// limit), valid UTF-8 and non-empty.
//
//	go test ./data/text -run '^$' -fuzz FuzzLoadWikiText103 -fuzztime 30s
func FuzzLoadWikiText103(f *testing.F) {
	f.Add([]byte(" = A = \n text .\n"), []byte(" = B = \n"), []byte("x\n"), 0, 0, false)
	f.Add([]byte(" = A = \n text .\n = B = \n more\n"), []byte(" v\n"), []byte(" t\n"), 10, 2, true)
	f.Add([]byte("\xff\n"), []byte("ok\n"), []byte(""), 0, 0, false)
	base := f.TempDir() // one per worker process
	f.Fuzz(func(t *testing.T, tr, va, te []byte, maxTrain, maxEval int, tokens bool) {
		if maxTrain < 0 || maxEval < 0 || maxTrain > 1<<16 || maxEval > 1<<16 {
			return
		}
		// A fresh directory per input, so a .raw of an earlier input never
		// stands in for a missing .tokens; os.MkdirTemp is much cheaper
		// than t.TempDir under the fuzzer.
		dir, err := os.MkdirTemp(base, "w")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		ext := ".raw"
		if tokens {
			ext = ".tokens"
		}
		files := [3][]byte{tr, va, te}
		for s := Train; s <= Test; s++ {
			os.WriteFile(filepath.Join(dir, "wiki."+s.String()+ext), files[s], 0o644)
		}
		var c *Corpus
		c, err = LoadWikiText103(WikiTextOptions{Dir: dir, MaxTrainBytes: maxTrain, MaxEvalBytes: maxEval})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for s := Train; s <= Test; s++ {
			got, want, limit := c.Text[s], files[s], maxEval
			if s == Train {
				limit = maxTrain
			}
			if limit > 0 && len(want) > limit {
				want = want[:bytes.LastIndexByte(want[:limit], '\n')+1]
			}
			if !bytes.Equal(got, want) || len(got) == 0 || !utf8.Valid(got) {
				t.Fatalf("%s split: %q, want %q (limit %d)", s, got, want, limit)
			}
		}
	})
}

// TestGCIDEDictSizeHintIsBounded: the gzip trailer's ISIZE is only a hint; a
// 35-byte .dict.dz claiming 4 GiB must not make readMaybeGzip reserve more
// than its 35 bytes can inflate to (the hint used to reserve 256 MiB).
func TestGCIDEDictSizeHintIsBounded(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("tiny"))
	zw.Close()
	raw := b.Bytes()
	binary.LittleEndian.PutUint32(raw[len(raw)-4:], 0xffffffff)
	p := filepath.Join(t.TempDir(), "gcide.dict.dz")
	os.WriteFile(p, raw, 0o644)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	_, err := readMaybeGzip(p)
	runtime.ReadMemStats(&m1)
	if err == nil {
		t.Fatal("a wrong ISIZE was accepted") // the gzip reader checks it
	}
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 1<<20 {
		t.Fatalf("a %d-byte file made readMaybeGzip allocate %d bytes", len(raw), got)
	}
}
