package vision

import "fmt"

// Patchify cuts n images (n, h, w) into non-overlapping p×p patches and
// returns them as token sequences (n, L, F) with L = (h/p)·(w/p) and F = p·p:
// token l = r·(w/p) + c is the patch in patch-row r and patch-column c
// (row-major patch order), and its F features are the patch's pixels in
// row-major order. h and w must be multiples of p. For 28×28 images and
// p = 4 this gives L = 49 tokens of F = 16 features.
func Patchify(images []float32, n, h, w, p int) (tokens []float32, L, F int, err error) {
	if n < 0 || h < 1 || w < 1 || p < 1 {
		return nil, 0, 0, fmt.Errorf("vision: patchify: bad sizes n=%d h=%d w=%d p=%d", n, h, w, p)
	}
	if h%p != 0 || w%p != 0 {
		return nil, 0, 0, fmt.Errorf("vision: patchify: %d×%d images do not divide into %d×%d patches", h, w, p, p)
	}
	if len(images) != n*h*w {
		return nil, 0, 0, fmt.Errorf("vision: patchify: %d pixels, want n·h·w = %d·%d·%d = %d", len(images), n, h, w, n*h*w)
	}
	pr, pc := h/p, w/p
	L, F = pr*pc, p*p
	tokens = make([]float32, 0, n*L*F)
	for i := range n {
		img := images[i*h*w : (i+1)*h*w]
		for r := range pr {
			for c := range pc {
				for y := range p {
					row := (r*p + y) * w
					tokens = append(tokens, img[row+c*p:row+c*p+p]...)
				}
			}
		}
	}
	return tokens, L, F, nil
}

// Patches is Patchify applied to the set's images: (N, L, F).
func (s *Set) Patches(p int) (tokens []float32, L, F int, err error) {
	return Patchify(s.Images, s.N, s.H, s.W, p)
}
