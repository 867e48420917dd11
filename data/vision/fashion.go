package vision

import (
	"fmt"
	"path/filepath"

	"github.com/tokendyn/tokendyn/data/idx"
)

// DefaultFashionMNISTDir is where the Debian package dataset-fashion-mnist
// installs the four gzipped IDX files.
const DefaultFashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// FashionMNIST file names inside the directory, as shipped by Zalando and
// the Debian package.
const (
	FashionTrainImages = "train-images-idx3-ubyte.gz"
	FashionTrainLabels = "train-labels-idx1-ubyte.gz"
	FashionTestImages  = "t10k-images-idx3-ubyte.gz"
	FashionTestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// NumClasses is the number of Fashion-MNIST classes.
const NumClasses = 10

// ClassNames returns the Fashion-MNIST class names, indexed by label, as
// listed in the data set's README.
func ClassNames() []string {
	return []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
}

// FashionMNIST is the data set: 60 000 training and 10 000 test images of
// 28×28 pixels.
type FashionMNIST struct {
	Train, Test *Set
}

// LoadFashionMNIST reads the four files from dir (DefaultFashionMNISTDir
// when dir is ""), checking the IDX headers, that each image file and its
// label file hold the same number of examples, that the images of both
// parts have the same size, and that labels lie in 0..9. Pixels are scaled
// to [0, 1] by 1/255.
func LoadFashionMNIST(dir string) (*FashionMNIST, error) {
	if dir == "" {
		dir = DefaultFashionMNISTDir
	}
	train, err := loadPart(filepath.Join(dir, FashionTrainImages), filepath.Join(dir, FashionTrainLabels))
	if err != nil {
		return nil, err
	}
	test, err := loadPart(filepath.Join(dir, FashionTestImages), filepath.Join(dir, FashionTestLabels))
	if err != nil {
		return nil, err
	}
	if train.H != test.H || train.W != test.W {
		return nil, fmt.Errorf("vision: Fashion-MNIST in %s: training images are %d×%d but test images %d×%d", dir, train.H, train.W, test.H, test.W)
	}
	return &FashionMNIST{Train: train, Test: test}, nil
}

// LoadIDXPair reads one image file and its label file (plain or gzipped)
// into a Set with pixels scaled to [0, 1].
func LoadIDXPair(imagesPath, labelsPath string, numClasses int) (*Set, error) {
	im, err := idx.ReadImages(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("vision: %w", err)
	}
	labels, err := idx.ReadLabels(labelsPath, numClasses)
	if err != nil {
		return nil, fmt.Errorf("vision: %w", err)
	}
	if len(labels) != im.N {
		return nil, fmt.Errorf("vision: %s holds %d images but %s holds %d labels", imagesPath, im.N, labelsPath, len(labels))
	}
	s := &Set{N: im.N, H: im.Rows, W: im.Cols, Images: make([]float32, len(im.Pixels)), Labels: labels}
	for i, p := range im.Pixels {
		s.Images[i] = float32(p) / 255
	}
	return s, nil
}

func loadPart(images, labels string) (*Set, error) {
	return LoadIDXPair(images, labels, NumClasses)
}
