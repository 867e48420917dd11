// Package idx reads and writes the IDX format of the MNIST and Fashion-MNIST
// data sets (Y. LeCun's format), plain or gzipped, validating every field.
//
// # Format
//
//	bytes 0..4    magic: 0x00 0x00, the element type (0x08 = unsigned byte),
//	              the number of dimensions (3 for images, 1 for labels)
//	then          one big-endian uint32 per dimension
//	then          product(dims) elements, row-major
//
// so an image file starts 0x00000803, N, Rows, Cols and a label file
// 0x00000801, N. Only unsigned-byte files (the only kind MNIST and
// Fashion-MNIST ship) are accepted; the other element types of the format
// (0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) are
// rejected with an error naming them.
//
// # Glossary
//
//	Images (N, Rows, Cols)   N grey-scale images, pixels 0 (background) .. 255
//	Labels (N)               class indices 0 .. K−1 (K = 10 for Fashion-MNIST)
//	Array                    any unsigned-byte IDX tensor: Dims and row-major Data
//
// Errors name the file and the problem (bad magic, truncated data, trailing
// bytes, a label out of range, a corrupt gzip stream), never a panic.
package idx
