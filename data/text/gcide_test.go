package text

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecodeDictdNumber(t *testing.T) {
	for i, test := range []struct {
		in   string
		want int64
	}{
		{"A", 0}, {"B", 1}, {"a", 26}, {"0", 52}, {"+", 62}, {"/", 63},
		{"BA", 64}, {"C", 2}, {"v", 47}, {"5I", 57*64 + 8}, {"///", 64*64*64 - 1},
	} {
		got, err := decodeDictdNumber(test.in)
		if err != nil || got != test.want {
			t.Errorf("case %d: decodeDictdNumber(%q) = %d, %v; want %d", i, test.in, got, err, test.want)
		}
	}
	for _, bad := range []string{"", "A=", "ABCDEFGHIJK", "é"} {
		if _, err := decodeDictdNumber(bad); err == nil {
			t.Errorf("decodeDictdNumber(%q): no error", bad)
		}
	}
}

// dictdNumber encodes n in dictd base64, the inverse of decodeDictdNumber.
func dictdNumber(n int64) string {
	if n == 0 {
		return "A"
	}
	var s []byte
	for ; n > 0; n /= 64 {
		s = append([]byte{dictdAlphabet[n%64]}, s...)
	}
	return string(s)
}

func TestParseDictdIndex(t *testing.T) {
	idx := "beta\tK\tF\nalpha\tA\tK\nAlpha\tA\tK\n"
	es, err := parseDictdIndex([]byte(idx), 15)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Offset != 0 || es[0].Length != 10 || strings.Join(es[0].Names, ",") != "alpha,Alpha" || es[1].Offset != 10 {
		t.Fatalf("entries %+v", es)
	}
	for i, test := range []struct {
		index string
		size  int64
		want  string
	}{
		{"a\tA\tK\n", 9, "runs past the 9-byte dictionary"},
		{"a\tA\tK\nb\tF\tK\n", 100, "overlap"},
		{"a\tA\n", 100, "line 1: 2 tab-separated fields"},
		{"a\tA\tK\nb\t*\tK\n", 100, "line 2: offset"},
		{"", 100, "index is empty"},
	} {
		if _, err := parseDictdIndex([]byte(test.index), test.size); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want %q", i, err, test.want)
		}
	}
}

func TestCleanGCIDEEntry(t *testing.T) {
	for i, test := range []struct {
		raw, head, text string
	}{
		{
			raw: `Frobnicate \Frob"ni*cate\ (fr[o^]b"n[i^]*k[=a]t), v. t. [imp. & p. p.
   {Frobnicated} (-k[=a]` + "`" + `t[e^]d); p. pr. & vb. n. {Frobnicating}.]
   [Hacker slang, fr. {frob}.]
   1. To adjust or tweak aimlessly; to fiddle with.
      [1913 Webster]

            He would frobnicate the dials for hours on
            end. --Anon.
      [PJC]

   2. (Comp.) To change a caf['e] setting; -- used of
      {knob*twid"dling}. [Obs.]

   Syn: tweak; fiddle; twiddle.

   Note: See {Twiddle}, and {Frob}.
         [1913 Webster]
`,
			head: "Frobnicate",
			text: "To adjust or tweak aimlessly; to fiddle with.\n" +
				"He would frobnicate the dials for hours on end.\n" +
				"(Comp.) To change a cafe setting; -- used of knobtwiddling.\n" +
				"See Twiddle, and Frob.",
		},
		{ // a second headword continues the header in column 0
			raw:  "Quuxic \\Quux\"ic\\, Quuxical\n\\Quux\"ic*al\\, a. [Cf. {Quux}.]\n   Of or pertaining to a quux; (a) small; (b) odd. [R.]\n",
			head: "Quuxic",
			text: "Of or pertaining to a quux; (a) small; (b) odd.",
		},
		{ // respelling left in the body, an unmatched bracket, a cp1252 apostrophe
			raw:  "Zorb \\Zorb\\, Zorbs \\Zorbs\\\n   (z[o^]rbz), n. The zorb\x92s [sphere used for rolling.\n",
			head: "Zorb",
			text: "The zorb's sphere used for rolling.",
		},
		{ // a fragment without headword line, as a few index entries point to
			raw:  "\n[1913 Webster]\n\n   {Gag rein} (Harness), a rein for drawing the bit upward.\n",
			head: "",
			text: "Gag rein (Harness), a rein for drawing the bit upward.",
		},
		{ // nothing but metadata
			raw:  "Blah \\Blah\\, n. [Obs.]\n   [1913 Webster]\n\n   Syn: blather.\n",
			head: "Blah",
			text: "",
		},
		{ // Greek and ligature codes in prose, nested brackets
			raw:  "Ether \\E\"ther\\, n. [L. [ae]ther, Gr. [alpha]i[theta]h`r.]\n   The [alpha] form of {[AE]ther}; 30[deg] F.\n",
			head: "Ether",
			text: "The alpha form of AEther; 30 deg F.",
		},
	} {
		head, text := CleanGCIDEEntry([]byte(test.raw))
		if head != test.head || text != test.text {
			t.Errorf("case %d:\n got head %q text\n%q\nwant head %q text\n%q", i, head, text, test.head, test.text)
		}
	}
}

// writeGCIDEFixture writes a dictzip-like gzipped .dict and its .index with
// n synthetic entries plus the database header entries, in the real layout.
// Every third headword appears twice (two parts of speech).
func writeGCIDEFixture(t *testing.T, n int) (dict, index string, heads []string) {
	t.Helper()
	var d bytes.Buffer
	var idx strings.Builder
	add := func(name, body string) {
		fmt.Fprintf(&idx, "%s\t%s\t%s\n", name, dictdNumber(int64(d.Len())), dictdNumber(int64(len(body))))
		d.WriteString(body)
		d.WriteString("\n")
	}
	add("00-database-info", "00-database-info\n   This file was converted from the original database.\n")
	for i := range n {
		h := fmt.Sprintf("Word%03d", i)
		heads = append(heads, h)
		add(h, fmt.Sprintf("%s \\Word%03d\\, n. [Etym. %d.]\n   1. The meaning number %d of this word.\n      [1913 Webster]\n", h, i, i, i))
		if i%3 == 0 {
			add(h, fmt.Sprintf("%s \\Word%03d\\, v. t.\n   To use word %d as a verb.\n", h, i, i))
		}
	}
	dir := t.TempDir()
	dict, index = filepath.Join(dir, "gcide.dict.dz"), filepath.Join(dir, "gcide.index")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(d.Bytes())
	zw.Close()
	if err := os.WriteFile(dict, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(index, []byte(idx.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dict, index, heads
}

// articles splits a split's text into entries: a headword line "WordNNN"
// followed by its paragraphs.
func articles(text []byte) map[string][]string {
	out := map[string][]string{}
	var cur string
	for _, l := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		if strings.HasPrefix(l, "Word") && !strings.Contains(l, " ") {
			cur = l
			out[cur] = append(out[cur], "")
			continue
		}
		out[cur][len(out[cur])-1] += l + "\n"
	}
	return out
}

func TestLoadGCIDEFixture(t *testing.T) {
	dict, index, heads := writeGCIDEFixture(t, 300)
	c, err := LoadGCIDE(GCIDEOptions{Dict: dict, Index: index})
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]Split{}
	total := 0
	for s := Train; s <= Test; s++ {
		for h, bodies := range articles(c.Text[s]) {
			if prev, ok := where[h]; ok {
				t.Fatalf("headword %s is in both %s and %s", h, prev, s)
			}
			where[h] = s
			total += len(bodies)
			n := 0
			fmt.Sscanf(h, "Word%d", &n)
			if want := fmt.Sprintf("The meaning number %d of this word.\n", n); bodies[0] != want {
				t.Errorf("%s: first article %q, want %q", h, bodies[0], want)
			}
			if wantParts := 1 + btoi(n%3 == 0); len(bodies) != wantParts {
				t.Errorf("%s: %d articles, want %d (same headword, same split)", h, len(bodies), wantParts)
			}
		}
		if c.Docs[s] == 0 {
			t.Errorf("split %s is empty", s)
		}
	}
	if len(where) != len(heads) || total != c.Docs[Train]+c.Docs[Valid]+c.Docs[Test] || total != 400 {
		t.Fatalf("%d headwords and %d articles in the splits, want %d and 400", len(where), total, len(heads))
	}
	if strings.Contains(string(c.Text[Train]), "database") {
		t.Error("the database header entry leaked into the corpus")
	}
	// Deterministic, and the size cap takes nested subsets.
	again, _ := LoadGCIDE(GCIDEOptions{Dict: dict, Index: index})
	for s := range c.Text {
		if !bytes.Equal(c.Text[s], again.Text[s]) {
			t.Fatal("two loads differ")
		}
	}
	var prev map[string]bool
	for _, capBytes := range []int{3000, 6000, 12000} {
		small, err := LoadGCIDE(GCIDEOptions{Dict: dict, Index: index, MaxBytes: capBytes})
		if err != nil {
			t.Fatal(err)
		}
		st := small.Stats()
		if got := st.Bytes[0] + st.Bytes[1] + st.Bytes[2]; got > capBytes || got < capBytes*8/10 {
			t.Errorf("cap %d: %d bytes", capBytes, got)
		}
		cur := map[string]bool{}
		for s := range small.Text {
			for h := range articles(small.Text[s]) {
				cur[h] = true
				if where[h] != Split(s) {
					t.Errorf("cap %d: %s moved from %s to %s", capBytes, h, where[h], Split(s))
				}
			}
		}
		for h := range prev {
			if !cur[h] {
				t.Errorf("cap %d dropped %s, kept under a smaller cap", capBytes, h)
			}
		}
		prev = cur
	}
	if _, err := LoadGCIDE(GCIDEOptions{Dict: dict, Index: index, MaxBytes: 10}); err == nil {
		t.Error("no error for a cap too small to fill the splits")
	}
	if _, err := LoadGCIDE(GCIDEOptions{Dict: filepath.Join(t.TempDir(), "none.dz"), Index: index}); err == nil {
		t.Error("no error for a missing dictionary")
	}
	short := filepath.Join(t.TempDir(), "short.dz")
	b, _ := os.ReadFile(dict)
	os.WriteFile(short, b[:len(b)/2], 0o644)
	if _, err := LoadGCIDE(GCIDEOptions{Dict: short, Index: index}); err == nil || !strings.Contains(err.Error(), "corrupt gzip") {
		t.Errorf("truncated dictionary: error %v", err)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The real dictionary from the Debian package dict-gcide.
func TestLoadGCIDEDebian(t *testing.T) {
	if _, err := os.Stat(DefaultGCIDEDict); err != nil {
		t.Skipf("GCIDE not installed (apt-get install dict-gcide): %v", err)
	}
	start := time.Now()
	c, err := LoadGCIDE(GCIDEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := c.Stats()
	t.Logf("loaded in %v: %v", time.Since(start).Round(time.Millisecond), st)
	all := st.Bytes[0] + st.Bytes[1] + st.Bytes[2]
	if all < 20e6 || all > 30e6 || st.VocabSize != 96 {
		t.Errorf("%d bytes, vocabulary %d", all, st.VocabSize)
	}
	for s := Valid; s <= Test; s++ {
		if f := float64(st.Bytes[s]) / float64(all); f < 0.04 || f > 0.06 {
			t.Errorf("%s holds %.3f of the bytes, want about 0.05", s, f)
		}
	}
	for s := range c.Text {
		if _, err := c.Tokens(Split(s)); err != nil {
			t.Fatal(err)
		}
		if i := bytes.IndexAny(c.Text[s], "[]{}\\"); i >= 0 {
			t.Errorf("%s: markup left at %d: %q", Split(s), i, c.Text[s][max(0, i-40):i+10])
		}
	}
	train := string(c.Text[Train]) + string(c.Text[Valid]) + string(c.Text[Test])
	if !strings.Contains(train, "\nAbandon\nTo cast or drive out; to banish; to expel; to reject.\n") {
		t.Error("the entry Abandon is not cleaned as expected")
	}
	small, err := LoadGCIDE(GCIDEOptions{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if sb := small.Stats().Bytes; sb[0]+sb[1]+sb[2] > 1<<20 || sb[1] == 0 || sb[2] == 0 {
		t.Errorf("1 MiB subset: %v", sb)
	}
}

// BenchmarkLoadGCIDE measures a full load of the Debian dictionary
// (gunzip, index, cleaning, split).
func BenchmarkLoadGCIDE(b *testing.B) {
	if _, err := os.Stat(DefaultGCIDEDict); err != nil {
		b.Skipf("GCIDE not installed: %v", err)
	}
	for b.Loop() {
		if _, err := LoadGCIDE(GCIDEOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A gzip bomb in place of gcide.dict.dz stops at MaxGCIDEDict with one line.
func TestGCIDEDictDecompressionIsCapped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bomb.dict.dz")
	f, _ := os.Create(p)
	zw := gzip.NewWriter(f)
	zero := make([]byte, 1<<20)
	for i := 0; i < MaxGCIDEDict>>20+2; i++ {
		zw.Write(zero)
	}
	zw.Close()
	f.Close()
	_, err := readMaybeGzip(p)
	if err == nil || !strings.Contains(err.Error(), "inflates past") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v", err)
	}
}
