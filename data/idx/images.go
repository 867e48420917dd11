package idx

import (
	"fmt"
	"os"
)

// Images holds N grey-scale images of Rows×Cols pixels: Pixels is
// (N, Rows, Cols), row-major, 0..255.
type Images struct {
	N, Rows, Cols int
	Pixels        []byte
}

// ParseImages decodes an image file (magic 0x00000803), plain or gzipped.
// Rows and Cols must be positive; N may be zero.
func ParseImages(b []byte) (*Images, error) {
	a, err := Parse(b)
	if err != nil {
		return nil, err
	}
	if len(a.Dims) != 3 {
		return nil, fmt.Errorf("magic number 0x%08x has %d dimensions: not an image file (want magic 0x%08x)", 0x0800|len(a.Dims), len(a.Dims), MagicImages)
	}
	im := &Images{N: a.Dims[0], Rows: a.Dims[1], Cols: a.Dims[2], Pixels: a.Data}
	if im.Rows < 1 || im.Cols < 1 {
		return nil, fmt.Errorf("images of %d×%d pixels: sizes must be positive", im.Rows, im.Cols)
	}
	return im, nil
}

// Image returns the pixels of image i, (Rows, Cols).
func (im *Images) Image(i int) []byte {
	n := im.Rows * im.Cols
	return im.Pixels[i*n : (i+1)*n]
}

// Encode returns the uncompressed IDX encoding of im.
func (im *Images) Encode() []byte {
	return (&Array{Dims: []int{im.N, im.Rows, im.Cols}, Data: im.Pixels}).Encode()
}

// ParseLabels decodes a label file (magic 0x00000801), plain or gzipped, and
// checks that every label is in 0..numClasses−1.
func ParseLabels(b []byte, numClasses int) ([]uint8, error) {
	a, err := Parse(b)
	if err != nil {
		return nil, err
	}
	if len(a.Dims) != 1 {
		return nil, fmt.Errorf("magic number 0x%08x has %d dimensions: not a label file (want magic 0x%08x)", 0x0800|len(a.Dims), len(a.Dims), MagicLabels)
	}
	for i, l := range a.Data {
		if int(l) >= numClasses {
			return nil, fmt.Errorf("label %d at index %d is out of range 0..%d", l, i, numClasses-1)
		}
	}
	return a.Data, nil
}

// EncodeLabels returns the uncompressed IDX encoding of labels.
func EncodeLabels(labels []uint8) []byte {
	return (&Array{Dims: []int{len(labels)}, Data: labels}).Encode()
}

// ReadImages reads and decodes the image file at path; errors name the path.
func ReadImages(path string) (*Images, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	im, err := ParseImages(b)
	if err != nil {
		return nil, fmt.Errorf("idx: %s: %w", path, err)
	}
	return im, nil
}

// ReadLabels reads and decodes the label file at path; errors name the path.
func ReadLabels(path string, numClasses int) ([]uint8, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	l, err := ParseLabels(b, numClasses)
	if err != nil {
		return nil, fmt.Errorf("idx: %s: %w", path, err)
	}
	return l, nil
}
