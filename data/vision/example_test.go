package vision_test

import (
	"fmt"

	"github.com/tokendyn/tokendyn/data/vision"
)

// A 28×28 image becomes 49 tokens of 16 pixels with 4×4 patches.
func ExamplePatchify() {
	img := make([]float32, 28*28)
	img[5*28+9] = 1 // row 5, column 9: patch row 1, patch column 2, offset (1, 1)
	tok, L, F, err := vision.Patchify(img, 1, 28, 28, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, v := range tok {
		if v != 0 {
			fmt.Printf("L=%d F=%d: token %d, feature %d\n", L, F, i/F, i%F)
		}
	}
	fmt.Println(vision.ClassNames()[9])
	// Output:
	// L=49 F=16: token 9, feature 5
	// Ankle boot
}
