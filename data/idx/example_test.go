package idx_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/data/idx"
)

func ExampleParseImages() {
	file := []byte{
		0x00, 0x00, 0x08, 0x03, // magic: unsigned bytes, 3 dimensions
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, // N = 1, Rows = 2, Cols = 2
		0, 255, 128, 7,
	}
	im, err := idx.ParseImages(file)
	fmt.Println(im.N, im.Rows, im.Cols, im.Image(0), err)
	_, err = idx.ParseImages(file[:len(file)-1])
	fmt.Println(err)
	// Output:
	// 1 2 2 [0 255 128 7] <nil>
	// truncated data: dimensions [1 2 2] need 4 bytes after the header, file has 3
}
