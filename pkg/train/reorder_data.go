package train

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/tokendyn/tokendyn/data/vision"
)

// ReorderData is the patch-token data of the reordering experiment: images
// cut into Patch×Patch patches read as sequences of L tokens of F features
// (vision.Patchify; Fashion-MNIST with 4×4 patches: L = 49, F = 16).
//
//	Train, Test           the image subsets, (N, H, W)
//	TrainTok, TestTok     (N, L, F) tokens
//	TrainLab, TestLab     (N) class indices
//	TrainEval             indices into Train of the images re-evaluated after every epoch
//	Digest                identifies the data for the experiment cache
type ReorderData struct {
	Train, Test         *vision.Set
	TrainTok, TestTok   []float32
	TrainLab, TestLab   []int32
	TrainEval           []int
	L, F, Classes       int
	Digest              string
	Source              string
	FullTrain, FullTest int // sizes of the sets the subsets were drawn from
}

// StratifiedSubset returns size examples of s drawn class-stratified with
// seed (vision.SplitIndices: round(size/N·n_c) of each class c), in
// increasing index order; size = 0 or size ≥ N gives every example.
func StratifiedSubset(s *vision.Set, size int, seed uint64) ([]int, error) {
	if size <= 0 || size >= s.N {
		idx := make([]int, s.N)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	_, sub, err := vision.SplitIndices(s.Labels, float64(size)/float64(s.N), seed)
	if err != nil {
		return nil, fmt.Errorf("train: reorder: subset: %w", err)
	}
	return sub, nil
}

// FashionDigest identifies the four Fashion-MNIST files of dir for the
// cache key: "name=size:sha256;..." in a fixed order.
func FashionDigest(dir string) (string, error) {
	if dir == "" {
		dir = vision.DefaultFashionMNISTDir
	}
	var parts []string
	for _, name := range []string{vision.FashionTrainImages, vision.FashionTrainLabels, vision.FashionTestImages, vision.FashionTestLabels} {
		d, err := FileDigest(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("train: reorder: Fashion-MNIST in %s: %w", dir, err)
		}
		parts = append(parts, name+"="+d)
	}
	return strings.Join(parts, ";"), nil
}

// LoadReorderData reads Fashion-MNIST from cfg.DataDir and draws the
// configured subsets.
func LoadReorderData(cfg ReorderConfig) (*ReorderData, error) {
	digest, err := FashionDigest(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	fm, err := vision.LoadFashionMNIST(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("train: reorder: %w", err)
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = vision.DefaultFashionMNISTDir
	}
	d, err := NewReorderData(fm.Train, fm.Test, vision.NumClasses, cfg, digest)
	if err != nil {
		return nil, err
	}
	d.Source = "Fashion-MNIST (" + dir + ")"
	return d, nil
}

// NewReorderData draws cfg's subsets of train and test (images with labels
// in [0, classes)) and patchifies them. digest identifies the full sets for
// the cache key; "" means a digest of their pixels and labels.
func NewReorderData(train, test *vision.Set, classes int, cfg ReorderConfig, digest string) (*ReorderData, error) {
	if train == nil || test == nil || train.N == 0 || test.N == 0 {
		return nil, fmt.Errorf("train: reorder: empty training or test set")
	}
	if classes < 2 {
		return nil, fmt.Errorf("train: reorder: %d classes, want at least 2", classes)
	}
	if digest == "" {
		digest = setDigest(train) + ";" + setDigest(test)
	}
	ti, err := StratifiedSubset(train, cfg.TrainSize, cfg.SubsetSeed)
	if err != nil {
		return nil, err
	}
	si, err := StratifiedSubset(test, cfg.TestSize, cfg.SubsetSeed)
	if err != nil {
		return nil, err
	}
	trSub, err := train.Subset(ti)
	if err != nil {
		return nil, fmt.Errorf("train: reorder: %w", err)
	}
	teSub, err := test.Subset(si)
	if err != nil {
		return nil, fmt.Errorf("train: reorder: %w", err)
	}
	d := &ReorderData{Train: trSub, Test: teSub, Classes: classes, Digest: digest, FullTrain: train.N, FullTest: test.N}
	if d.TrainTok, d.L, d.F, err = trSub.Patches(cfg.Patch); err != nil {
		return nil, fmt.Errorf("train: reorder: training images: %w", err)
	}
	if d.TestTok, _, _, err = teSub.Patches(cfg.Patch); err != nil {
		return nil, fmt.Errorf("train: reorder: test images: %w", err)
	}
	if d.TrainLab, err = labels32(trSub.Labels, classes); err != nil {
		return nil, fmt.Errorf("train: reorder: training labels: %w", err)
	}
	if d.TestLab, err = labels32(teSub.Labels, classes); err != nil {
		return nil, fmt.Errorf("train: reorder: test labels: %w", err)
	}
	for i, v := range d.TrainTok {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("train: reorder: training token value %d is %v", i, v)
		}
	}
	if cfg.TrainEvalSize > 0 {
		if d.TrainEval, err = StratifiedSubset(trSub, cfg.TrainEvalSize, cfg.SubsetSeed+1); err != nil {
			return nil, err
		}
	}
	return d, nil
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
