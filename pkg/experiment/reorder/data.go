package reorder

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/tokendyn/tokendyn/data/vision"
)

// Data is the experiment's images and their patch tokens.
//
//	Train, Test        the class-stratified subsets, (N, H, W)
//	TrainLab, TestLab  (N) class indices
//	Tokens[p]          the tokens of patch size p: train (N, L, F) and test (N, L, F)
//	Digest             identifies the full data sets for the cache key
type Data struct {
	Train, Test         *vision.Set
	TrainLab, TestLab   []int32
	Tokens              map[int]Tokens
	Classes             int
	Digest, Source      string
	FullTrain, FullTest int
}

// Tokens are the images of Data cut into Patch×Patch patches.
type Tokens struct {
	Patch, L, F int
	Train, Test []float32 // (N, L, F)
}

// FashionDigest identifies Fashion-MNIST in dir by what the loader
// produces: "train=N×H×W:sha256;test=…" of the decoded pixels (as the
// models see them) and labels. It loads the data; a change of the decoding
// or the normalisation changes it, a change of the files that leaves them
// alone does not.
func FashionDigest(dir string) (string, error) {
	fm, err := vision.LoadFashionMNIST(dir)
	if err != nil {
		return "", fmt.Errorf("reorder: %w", err)
	}
	return fashionDigest(fm), nil
}

// fashionDigest is FashionDigest of loaded sets.
func fashionDigest(fm *vision.FashionMNIST) string {
	return "train=" + setDigest(fm.Train) + ";test=" + setDigest(fm.Test)
}

// LoadData reads Fashion-MNIST from spec.DataDir and prepares spec's subsets.
func LoadData(spec Spec) (*Data, error) {
	fm, err := vision.LoadFashionMNIST(spec.DataDir)
	if err != nil {
		return nil, fmt.Errorf("reorder: %w", err)
	}
	d, err := NewData(fm.Train, fm.Test, vision.NumClasses, spec, fashionDigest(fm))
	if err != nil {
		return nil, err
	}
	dir := spec.DataDir
	if dir == "" {
		dir = vision.DefaultFashionMNISTDir
	}
	d.Source = "Fashion-MNIST (" + dir + ")"
	return d, nil
}

// NewData draws spec's class-stratified subsets of train and test (labels
// in [0, classes)) and patchifies them at every patch size. digest
// identifies the full sets; "" means a digest of their pixels and labels.
func NewData(trainSet, testSet *vision.Set, classes int, spec Spec, digest string) (*Data, error) {
	if trainSet == nil || testSet == nil || trainSet.N == 0 || testSet.N == 0 {
		return nil, fmt.Errorf("reorder: empty training or test set")
	}
	if classes < 2 {
		return nil, fmt.Errorf("reorder: %d classes, want at least 2", classes)
	}
	if digest == "" {
		digest = setDigest(trainSet) + ";" + setDigest(testSet)
	}
	d := &Data{Classes: classes, Digest: digest, FullTrain: trainSet.N, FullTest: testSet.N, Tokens: map[int]Tokens{}}
	var err error
	if spec.Validation {
		if trainSet, testSet, err = holdOut(trainSet, spec.TestSize, spec.SubsetSeed); err != nil {
			return nil, err
		}
	}
	if d.Train, err = subset(trainSet, spec.TrainSize, spec.SubsetSeed); err != nil {
		return nil, err
	}
	if d.Test, err = subset(testSet, spec.TestSize, spec.SubsetSeed); err != nil {
		return nil, err
	}
	if d.TrainLab, err = labels32(d.Train.Labels, classes); err != nil {
		return nil, fmt.Errorf("reorder: training labels: %w", err)
	}
	if d.TestLab, err = labels32(d.Test.Labels, classes); err != nil {
		return nil, fmt.Errorf("reorder: test labels: %w", err)
	}
	for _, p := range spec.Patches {
		t := Tokens{Patch: p}
		if t.Train, t.L, t.F, err = d.Train.Patches(p); err != nil {
			return nil, fmt.Errorf("reorder: training images, patch %d: %w", p, err)
		}
		if t.Test, _, _, err = d.Test.Patches(p); err != nil {
			return nil, fmt.Errorf("reorder: test images, patch %d: %w", p, err)
		}
		for i, v := range t.Train {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("reorder: training token value %d is %v", i, v)
			}
		}
		d.Tokens[p] = t
	}
	return d, nil
}

// subset is size examples of s drawn class-stratified with seed
// (vision.SplitIndices), in index order; 0 or ≥ N gives all of them.
func subset(s *vision.Set, size int, seed uint64) (*vision.Set, error) {
	if size <= 0 || size >= s.N {
		return s, nil
	}
	_, idx, err := vision.SplitIndices(s.Labels, float64(size)/float64(s.N), seed)
	if err != nil {
		return nil, fmt.Errorf("reorder: subset: %w", err)
	}
	sub, err := s.Subset(idx)
	if err != nil {
		return nil, fmt.Errorf("reorder: subset: %w", err)
	}
	return sub, nil
}

// holdOut splits s into the images a training subset may be drawn from and
// size validation images drawn class-stratified with seed (the seed's
// complement stream, so that they are not the first images of the
// training subset's draw).
func holdOut(s *vision.Set, size int, seed uint64) (rest, valid *vision.Set, err error) {
	if size <= 0 || size >= s.N {
		return nil, nil, fmt.Errorf("reorder: %d validation images out of %d training images: want between 1 and %d", size, s.N, s.N-1)
	}
	ri, vi, err := vision.SplitIndices(s.Labels, float64(size)/float64(s.N), ^seed)
	if err != nil {
		return nil, nil, fmt.Errorf("reorder: validation split: %w", err)
	}
	if rest, err = s.Subset(ri); err != nil {
		return nil, nil, fmt.Errorf("reorder: validation split: %w", err)
	}
	if valid, err = s.Subset(vi); err != nil {
		return nil, nil, fmt.Errorf("reorder: validation split: %w", err)
	}
	return rest, valid, nil
}

func labels32(ls []uint8, classes int) ([]int32, error) {
	out := make([]int32, len(ls))
	for i, l := range ls {
		if int(l) >= classes {
			return nil, fmt.Errorf("label %d of example %d is not below %d classes", l, i, classes)
		}
		out[i] = int32(l)
	}
	return out, nil
}

// setDigest is "N×H×W:sha256" of a set's pixels and labels.
func setDigest(s *vision.Set) string {
	h := sha256.New()
	var b [4]byte
	for _, v := range s.Images {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	h.Write(s.Labels)
	return fmt.Sprintf("%d×%d×%d:%s", s.N, s.H, s.W, hex.EncodeToString(h.Sum(nil)))
}
