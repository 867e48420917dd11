package vision

import (
	"bytes"
	"compress/gzip"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/idx"
)

func TestPatchifyHandExample(t *testing.T) {
	// One 4×4 image with pixel value 10·row + col, 2×2 patches.
	img := make([]float32, 16)
	for r := range 4 {
		for c := range 4 {
			img[r*4+c] = float32(10*r + c)
		}
	}
	tok, L, F, err := Patchify(img, 1, 4, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{
		0, 1, 10, 11, // patch (0,0)
		2, 3, 12, 13, // patch (0,1)
		20, 21, 30, 31, // patch (1,0)
		22, 23, 32, 33, // patch (1,1)
	}
	if L != 4 || F != 4 || !slices.Equal(tok, want) {
		t.Fatalf("L=%d F=%d tokens %v, want 4 4 %v", L, F, tok, want)
	}
}

// Patchify agrees with the index formula
// tokens[i, l, f] = image[i, (l / (w/p))·p + f / p, (l mod (w/p))·p + f mod p].
func TestPatchifyIndexFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for i, test := range []struct{ n, h, w, p int }{
		{3, 28, 28, 4}, {2, 28, 28, 7}, {1, 6, 9, 3}, {2, 5, 5, 1}, {1, 8, 4, 4},
	} {
		img := make([]float32, test.n*test.h*test.w)
		for k := range img {
			img[k] = rng.Float32()
		}
		tok, L, F, err := Patchify(img, test.n, test.h, test.w, test.p)
		if err != nil {
			t.Fatal(err)
		}
		pc := test.w / test.p
		if L != (test.h/test.p)*pc || F != test.p*test.p || len(tok) != test.n*L*F {
			t.Fatalf("case %d: L=%d F=%d len=%d", i, L, F, len(tok))
		}
		for n := range test.n {
			for l := range L {
				for f := range F {
					y := (l/pc)*test.p + f/test.p
					x := (l%pc)*test.p + f%test.p
					if got, want := tok[(n*L+l)*F+f], img[(n*test.h+y)*test.w+x]; got != want {
						t.Fatalf("case %d: token [%d,%d,%d] = %v, want pixel (%d,%d) = %v", i, n, l, f, got, y, x, want)
					}
				}
			}
		}
	}
}

func TestPatchifyErrors(t *testing.T) {
	for i, test := range []struct {
		n, h, w, p, len int
		want            string
	}{
		{1, 28, 28, 5, 784, "do not divide"},
		{2, 28, 28, 4, 784, "want n·h·w"},
		{1, 28, 28, 0, 784, "bad sizes"},
	} {
		_, _, _, err := Patchify(make([]float32, test.len), test.n, test.h, test.w, test.p)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want %q", i, err, test.want)
		}
	}
}

func TestSplitIndices(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	labels := make([]uint8, 1000)
	for i := range labels {
		labels[i] = uint8(rng.IntN(10))
	}
	counts := make([]int, 10)
	for _, l := range labels {
		counts[l]++
	}
	tr, va, err := SplitIndices(labels, 0.1, 42)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(tr) || !slices.IsSorted(va) || len(tr)+len(va) != len(labels) {
		t.Fatalf("parts of %d and %d, sorted %v %v", len(tr), len(va), slices.IsSorted(tr), slices.IsSorted(va))
	}
	seen := make([]int, len(labels))
	vc := make([]int, 10)
	for _, i := range tr {
		seen[i]++
	}
	for _, i := range va {
		seen[i]++
		vc[labels[i]]++
	}
	for i, s := range seen {
		if s != 1 {
			t.Fatalf("example %d is in %d parts", i, s)
		}
	}
	for c := range 10 {
		if want := int(0.1*float64(counts[c]) + 0.5); vc[c] != want {
			t.Errorf("class %d: %d validation examples, want round(0.1·%d) = %d", c, vc[c], counts[c], want)
		}
	}
	tr2, va2, _ := SplitIndices(labels, 0.1, 42)
	if !slices.Equal(tr, tr2) || !slices.Equal(va, va2) {
		t.Fatal("same seed, different split")
	}
	_, va3, _ := SplitIndices(labels, 0.1, 43)
	if slices.Equal(va, va3) {
		t.Fatal("different seeds, same split")
	}
	if _, _, err := SplitIndices(labels, 1.5, 1); err == nil {
		t.Fatal("no error for fraction 1.5")
	}
}

func gzBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// writeFixture writes a tiny Fashion-MNIST directory in the real format.
func writeFixture(t *testing.T, nTrain, nTrainLabels int, badLabel bool) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), gzBytes(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(n int) ([]byte, []byte) {
		im := &idx.Images{N: n, Rows: 28, Cols: 28, Pixels: make([]byte, n*784)}
		for i := range im.Pixels {
			im.Pixels[i] = byte(i * 7)
		}
		labels := make([]uint8, n)
		for i := range labels {
			labels[i] = uint8(i % 10)
		}
		return im.Encode(), idx.EncodeLabels(labels)
	}
	ti, _ := mk(nTrain)
	_, tl := mk(nTrainLabels)
	if badLabel {
		tl[len(tl)-1] = 10
	}
	write(FashionTrainImages, ti)
	write(FashionTrainLabels, tl)
	si, sl := mk(3)
	write(FashionTestImages, si)
	write(FashionTestLabels, sl)
	return dir
}

func TestLoadFashionMNISTFixture(t *testing.T) {
	ds, err := LoadFashionMNIST(writeFixture(t, 5, 5, false))
	if err != nil {
		t.Fatal(err)
	}
	if ds.Train.N != 5 || ds.Test.N != 3 || ds.Train.H != 28 || ds.Train.W != 28 {
		t.Fatalf("sizes %d %d %d×%d", ds.Train.N, ds.Test.N, ds.Train.H, ds.Train.W)
	}
	for i, v := range ds.Train.Images {
		if want := float32(byte(i*7)) / 255; v != want {
			t.Fatalf("pixel %d = %v, want %v", i, v, want)
		}
	}
	for i, test := range []struct {
		dir  string
		want string
	}{
		{writeFixture(t, 5, 4, false), "holds 5 images but"},
		{writeFixture(t, 5, 5, true), "label 10 at index 4 is out of range 0..9"},
		{t.TempDir(), FashionTrainImages},
	} {
		if _, err := LoadFashionMNIST(test.dir); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("case %d: error %v, want %q", i, err, test.want)
		}
	}
}

// The real data set from the Debian package: sizes, balanced classes and
// the well-known pixel statistics (mean 0.2860, std 0.3530 over the
// training set, the normalisation constants used throughout the
// Fashion-MNIST literature).
func TestLoadFashionMNISTDebian(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultFashionMNISTDir, FashionTrainImages)); err != nil {
		t.Skipf("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist): %v", err)
	}
	ds, err := LoadFashionMNIST("")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Train.N != 60000 || ds.Test.N != 10000 || ds.Train.H != 28 || ds.Train.W != 28 {
		t.Fatalf("train %d test %d, %d×%d", ds.Train.N, ds.Test.N, ds.Train.H, ds.Train.W)
	}
	for c, n := range ds.Train.ClassCounts(NumClasses) {
		if n != 6000 {
			t.Errorf("train class %d (%s) has %d examples, want 6000", c, ClassNames()[c], n)
		}
	}
	for c, n := range ds.Test.ClassCounts(NumClasses) {
		if n != 1000 {
			t.Errorf("test class %d has %d examples, want 1000", c, n)
		}
	}
	var s, s2 float64
	for _, v := range ds.Train.Images {
		if v < 0 || v > 1 {
			t.Fatalf("pixel %v outside [0, 1]", v)
		}
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	n := float64(len(ds.Train.Images))
	mean := s / n
	std := math.Sqrt(s2/n - mean*mean)
	if math.Abs(mean-0.2860) > 5e-4 || math.Abs(std-0.3530) > 5e-4 {
		t.Errorf("pixel mean %.4f std %.4f, want 0.2860 0.3530", mean, std)
	}
	tok, L, F, err := ds.Test.Patches(4)
	if err != nil || L != 49 || F != 16 || len(tok) != 10000*49*16 {
		t.Fatalf("patches: L=%d F=%d len=%d err=%v", L, F, len(tok), err)
	}
	tr, va, err := ds.Train.Split(1.0/12, 1)
	if err != nil || tr.N != 55000 || va.N != 5000 {
		t.Fatalf("split %v/%v: %v", tr.N, va.N, err)
	}
}
