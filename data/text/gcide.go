package text

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"strings"
)

// Where the Debian package dict-gcide installs the dictionary.
const (
	DefaultGCIDEDict  = "/usr/share/dictd/gcide.dict.dz"
	DefaultGCIDEIndex = "/usr/share/dictd/gcide.index"
)

// GCIDEOptions configures LoadGCIDE. The zero value loads the whole
// dictionary from the Debian paths.
type GCIDEOptions struct {
	Dict  string // gcide.dict.dz (dictzip, read as gzip) or an uncompressed gcide.dict; DefaultGCIDEDict if ""
	Index string // gcide.index; DefaultGCIDEIndex if ""
	// MaxBytes, when positive, caps the total size of the three splits: the
	// entries are taken in a fixed pseudo-random order (a hash of the
	// headword) until the next one would not fit, so a smaller cap gives a
	// subset of a larger cap's corpus, spread over the whole alphabet and
	// split in the same proportions.
	MaxBytes int
}

// The split of an entry is decided by a hash of its lower-cased headword:
// buckets 0..89 of 100 go to Train, 90..94 to Valid, 95..99 to Test.
const (
	gcideValidBucket = 90
	gcideTestBucket  = 95
)

// gcideArticle is one cleaned entry.
type gcideArticle struct {
	offset int64
	key    string // lower-cased headword
	text   string // headword line + paragraphs, each ending in '\n'
	split  Split
	rank   uint64
}

// LoadGCIDE reads the GCIDE dictionary through its dictd index and returns
// the cleaned corpus (see CleanGCIDEEntry) with the ASCIIVocab (96
// symbols). Each entry becomes its headword on one line followed by its
// prose paragraphs, one per line; entries follow each other in dictionary
// order inside a split.
//
// The split is by a hash of the lower-cased headword (90 / 5 / 5 %), so all
// the entries of one headword (Abandon, v. t.; Abandon, n.) land in the same
// split and no article is cut between splits; dictionary order is kept
// inside each split, so every split covers A to Z. (Splitting by contiguous
// blocks would put the test set at the end of the alphabet.) Entries of
// related headwords (Abandon, Abandoned) can still fall in different
// splits, as related articles do in WikiText.
func LoadGCIDE(opt GCIDEOptions) (*Corpus, error) {
	if opt.Dict == "" {
		opt.Dict = DefaultGCIDEDict
	}
	if opt.Index == "" {
		opt.Index = DefaultGCIDEIndex
	}
	dict, err := readMaybeGzip(opt.Dict)
	if err != nil {
		return nil, fmt.Errorf("text: gcide: %w", err)
	}
	index, err := os.ReadFile(opt.Index)
	if err != nil {
		return nil, fmt.Errorf("text: gcide: %w", err)
	}
	entries, err := parseDictdIndex(index, int64(len(dict)))
	if err != nil {
		return nil, fmt.Errorf("text: gcide: %s: %w", opt.Index, err)
	}
	arts := make([]gcideArticle, 0, len(entries))
	ordinal := map[string]uint64{}
	for _, e := range entries {
		if allMetadata(e.Names) {
			continue // 00-database-info and friends: the file's own header
		}
		head, body := CleanGCIDEEntry(dict[e.Offset : e.Offset+e.Length])
		if body == "" {
			continue
		}
		if head == "" {
			// The index's name is raw file content: keep its printable ASCII
			// only, so the corpus stays inside ASCIIVocab.
			head = printableASCII(slices.Min(e.Names))
			if head == "" {
				continue
			}
		}
		key := strings.ToLower(head)
		h := hash64(key)
		ord := ordinal[key]
		ordinal[key]++
		a := gcideArticle{offset: e.Offset, key: key, text: head + "\n" + body + "\n", rank: mix64(h ^ 0x9e3779b97f4a7c15 + ord)}
		switch b := h % 100; {
		case b >= gcideTestBucket:
			a.split = Test
		case b >= gcideValidBucket:
			a.split = Valid
		default:
			a.split = Train
		}
		arts = append(arts, a)
	}
	if opt.MaxBytes > 0 {
		arts = capArticles(arts, opt.MaxBytes)
	}
	c := &Corpus{Name: "gcide", Vocab: ASCIIVocab()}
	var bufs [3]bytes.Buffer
	for _, a := range arts {
		bufs[a.split].WriteString(a.text)
		c.Docs[a.split]++
	}
	for s := range bufs {
		c.Text[s] = bufs[s].Bytes()
		if len(c.Text[s]) == 0 {
			return nil, fmt.Errorf("text: gcide: the %s split is empty (MaxBytes %d too small?)", Split(s), opt.MaxBytes)
		}
	}
	return c, nil
}

// printableASCII drops every byte of s outside ' '..'~'.
func printableASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return -1
		}
		return r
	}, s)
}

// capArticles keeps the articles of lowest rank whose total size fits in
// maxBytes, stopping at the first that does not fit, and returns them in
// dictionary order.
func capArticles(arts []gcideArticle, maxBytes int) []gcideArticle {
	byRank := slices.Clone(arts)
	slices.SortFunc(byRank, func(a, b gcideArticle) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.offset, b.offset))
	})
	total, n := 0, 0
	for ; n < len(byRank) && total+len(byRank[n].text) <= maxBytes; n++ {
		total += len(byRank[n].text)
	}
	kept := byRank[:n]
	slices.SortFunc(kept, func(a, b gcideArticle) int { return cmp.Compare(a.offset, b.offset) })
	return kept
}

func allMetadata(names []string) bool {
	for _, n := range names {
		if !strings.HasPrefix(n, "00-") {
			return false
		}
	}
	return true
}

// hash64 is FNV-1a of s, finalized by mix64 so that its low digits are
// well mixed.
func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return mix64(h.Sum64())
}

// mix64 is the SplitMix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// MaxGCIDEDict bounds the decompressed dictionary (Debian's gcide.dict.dz,
// 13.5 MB, inflates to about 60 MiB), so a gzip bomb in its place cannot
// exhaust memory.
const MaxGCIDEDict = 256 << 20

// readMaybeGzip reads path, gunzipping it when it starts with the gzip
// signature (dictzip files are gzip files with a chunk table in the header's
// extra field, which gzip readers skip).
func readMaybeGzip(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt gzip stream: %w", path, err)
	}
	var out bytes.Buffer
	if len(b) >= 18 { // ISIZE, the uncompressed size mod 2^32, as a size hint
		// The hint is the file's word, not its content: bound it by what
		// len(b) compressed bytes can inflate to (deflate: under 1100 output
		// bytes per input byte), so a 35-byte file cannot reserve 256 MiB.
		out.Grow(int(min(uint64(binary.LittleEndian.Uint32(b[len(b)-4:])), MaxGCIDEDict, 1100*uint64(len(b)))))
	}
	n, err := io.Copy(&out, io.LimitReader(zr, MaxGCIDEDict+1))
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt gzip stream: %w", path, err)
	}
	if n > MaxGCIDEDict {
		return nil, fmt.Errorf("%s: inflates past %d MiB, more than any GCIDE dictionary (Debian's is about 60 MiB); refusing", path, MaxGCIDEDict>>20)
	}
	return out.Bytes(), nil
}
