package reorder

import (
	"testing"

	"github.com/tokendyn/tokendyn/data/vision"
)

// numbered is a set of n 4×4 images whose first pixel is the image's index
// and whose label is the index modulo classes.
func numbered(n, classes int) *vision.Set {
	s := &vision.Set{N: n, H: 4, W: 4, Images: make([]float32, n*16), Labels: make([]uint8, n)}
	for i := range n {
		s.Images[i*16] = float32(i)
		s.Labels[i] = uint8(i % classes)
	}
	return s
}

// TestValidationHeldOutOfTraining: with Validation the evaluation images
// come from the training images, none of them is a training image, the
// test images are never used, and both draws stay class-stratified.
func TestValidationHeldOutOfTraining(t *testing.T) {
	train, test := numbered(600, 3), numbered(90, 3)
	for i := range test.Images {
		test.Images[i] = -1
	}
	spec := Spec{TrainSize: 300, TestSize: 120, SubsetSeed: 7, Patches: []int{2}, Validation: true}
	d, err := NewData(train, test, 3, spec, "x")
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.N != 300 || d.Test.N != 120 {
		t.Fatalf("sizes %d and %d, want 300 and 120", d.Train.N, d.Test.N)
	}
	seen := map[float32]bool{}
	for i := range d.Train.N {
		seen[d.Train.Images[i*16]] = true
	}
	perClass := make([]int, 3)
	for i := range d.Test.N {
		id := d.Test.Images[i*16]
		if id < 0 {
			t.Fatalf("validation image %d is a test image", i)
		}
		if seen[id] {
			t.Fatalf("validation image %d is training image %v", i, id)
		}
		perClass[d.Test.Labels[i]]++
	}
	if perClass[0] != 40 || perClass[1] != 40 || perClass[2] != 40 {
		t.Fatalf("validation classes %v, want 40 each", perClass)
	}
	spec.Validation = false
	d, err = NewData(train, test, 3, spec, "x")
	if err != nil {
		t.Fatal(err)
	}
	if d.Test.Images[0] != -1 {
		t.Fatal("without Validation the evaluation images are not the test images")
	}
	spec.Validation, spec.TestSize = true, 0
	if _, err := NewData(train, test, 3, spec, "x"); err == nil {
		t.Fatal("a validation split of all training images was accepted")
	}
}
