// Package vision loads the image data of the classification experiment:
// Fashion-MNIST from the Debian package dataset-fashion-mnist, as float32
// pixels in [0, 1], cut into patches that a Mamba classifier reads as a
// sequence of tokens.
//
// The paper's image experiment (docs/paper.md §6.2) trains MambaVision-T on
// ImageNet-1K, 224×224 pixels, with and without token reordering. That needs
// GPUs; the Go experiment is a scaled-down proxy: 28×28 grey-scale images,
// 10 classes, 4×4 patches, so every image is a sequence of L = 49 tokens of
// 16 features (the size of the windows of MambaVision's last stage, 7×7).
//
// # Glossary
//
//	Set.Images  (N, H, W)        pixels in [0, 1], row-major, H = W = 28
//	Set.Labels  (N)              class index 0..9, see ClassNames
//	Patchify    (N, L, F)        tokens: L = (H/p)(W/p) patches in row-major
//	                             patch order, F = p·p pixels per token, row-major
//	                             inside the patch (p = 4: L = 49, F = 16)
//	token x_l                    one patch, the paper's x_l ∈ R^D after the
//	                             model's input projection
//	Split                        seeded, class-stratified train/validation split
package vision
