package idx

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// imageFile is a hand-written 2-image 2×3 file: magic, dims, pixels.
var imageFile = []byte{
	0, 0, 8, 3,
	0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
	0, 1, 2, 3, 4, 5,
	250, 251, 252, 253, 254, 255,
}

var labelFile = []byte{0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4}

func TestParseHandWritten(t *testing.T) {
	for _, b := range [][]byte{imageFile, gz(imageFile)} {
		im, err := ParseImages(b)
		if err != nil {
			t.Fatal(err)
		}
		if im.N != 2 || im.Rows != 2 || im.Cols != 3 || !slices.Equal(im.Image(1), []byte{250, 251, 252, 253, 254, 255}) {
			t.Fatalf("images %+v", im)
		}
		if !bytes.Equal(im.Encode(), imageFile) {
			t.Fatal("Encode does not give the file back")
		}
	}
	for _, b := range [][]byte{labelFile, gz(labelFile)} {
		l, err := ParseLabels(b, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(l, []uint8{9, 0, 4}) || !bytes.Equal(EncodeLabels(l), labelFile) {
			t.Fatalf("labels %v", l)
		}
	}
}

func TestParseRejectsCorruptFiles(t *testing.T) {
	with := func(b []byte, i int, v byte) []byte {
		c := slices.Clone(b)
		c[i] = v
		return c
	}
	gzBad := gz(imageFile)
	gzBad[len(gzBad)-5] ^= 0xff // CRC-32 of the content
	for i, test := range []struct {
		name   string
		file   []byte
		labels bool
		want   string
	}{
		{"empty", nil, false, "truncated header"},
		{"3 bytes", imageFile[:3], false, "truncated header"},
		{"not IDX", []byte("P5\n28 28\n255\n"), false, "bad magic"},
		{"int32 elements", with(imageFile, 2, 0x0c), false, "element type 0x0c (int32) is not supported"},
		{"zero dimensions", []byte{0, 0, 8, 0}, false, "zero dimensions"},
		{"header cut in the dimensions", imageFile[:10], false, "truncated header: 3 dimensions need 16"},
		{"pixels truncated", imageFile[:len(imageFile)-1], false, "truncated data"},
		{"trailing bytes", append(slices.Clone(imageFile), 7), false, "1 trailing bytes"},
		{"dimensions overflow", []byte{0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, false, "more than 2^64"},
		{"label file as images", labelFile, false, "not an image file"},
		{"image file as labels", imageFile, true, "not a label file"},
		{"zero columns", []byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}, false, "sizes must be positive"},
		{"label out of range", with(labelFile, 9, 10), true, "label 10 at index 1 is out of range 0..9"},
		{"truncated gzip", gz(imageFile)[:20], false, "corrupt gzip"},
		{"gzip checksum", gzBad, false, "corrupt gzip"},
		{"gzip with bad content", gz(imageFile[:20]), false, "truncated data"},
	} {
		var err error
		if test.labels {
			_, err = ParseLabels(test.file, 10)
		} else {
			_, err = ParseImages(test.file)
		}
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d (%s): error %v, want one containing %q", i, test.name, err, test.want)
		}
	}
}

func TestReadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "train-images-idx3-ubyte.gz")
	os.WriteFile(p, gz(imageFile[:len(imageFile)-2]), 0o644)
	if _, err := ReadImages(p); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "truncated data") {
		t.Fatalf("error %v should name %s and the truncation", err, p)
	}
	q := filepath.Join(dir, "labels")
	os.WriteFile(q, []byte{0, 0, 8, 1, 0, 0, 0, 1, 200}, 0o644)
	if _, err := ReadLabels(q, 10); err == nil || !strings.Contains(err.Error(), q) {
		t.Fatalf("error %v should name %s", err, q)
	}
	if _, err := ReadImages(filepath.Join(dir, "absent")); err == nil {
		t.Fatal("no error for a missing file")
	}
}

// FuzzIDX: no input panics; whatever parses re-encodes to the exact
// (gunzipped) input, since IDX has a single encoding per array.
//
//	go test ./data/idx -run '^$' -fuzz FuzzIDX -fuzztime 60s
func FuzzIDX(f *testing.F) {
	for _, s := range [][]byte{imageFile, labelFile, gz(imageFile), gz(labelFile), imageFile[:7], {0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 42}, {0x1f, 0x8b}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		raw, gzErr := gunzipIfNeeded(b)
		a, err := Parse(b)
		if err != nil {
			ParseImages(b)
			ParseLabels(b, 10)
			return
		}
		if gzErr != nil {
			t.Fatalf("Parse accepted input whose gzip layer fails: %v", gzErr)
		}
		if !bytes.Equal(a.Encode(), raw) {
			t.Fatalf("Encode(Parse(b)) differs from b")
		}
		n := 1
		for _, d := range a.Dims {
			n *= d
		}
		if n != len(a.Data) {
			t.Fatalf("dims %v but %d data bytes", a.Dims, len(a.Data))
		}
		if im, err := ParseImages(b); err == nil && len(im.Pixels) != im.N*im.Rows*im.Cols {
			t.Fatalf("images %d×%d×%d with %d pixels", im.N, im.Rows, im.Cols, len(im.Pixels))
		}
		if l, err := ParseLabels(b, 10); err == nil {
			for _, v := range l {
				if v > 9 {
					t.Fatalf("accepted label %d", v)
				}
			}
		}
	})
}
