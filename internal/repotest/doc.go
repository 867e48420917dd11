// Package repotest holds the repository's structural rules as tests: which
// package may import which (the layer, the theory and the notebooks' display
// helpers stay free of the training stack), and that notebooks hold calls
// and prose rather than code of their own. It has no API.
package repotest
