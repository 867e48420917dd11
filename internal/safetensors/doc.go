// Package safetensors reads and writes the safetensors tensor file format of
// Hugging Face (the format `safetensors.torch.save_file` writes), so that
// checkpoints and scan inputs move between PyTorch and this module.
//
// # Format
//
//	bytes 0..8        N, the header length, unsigned 64-bit little-endian
//	bytes 8..8+N      a JSON object, UTF-8, possibly padded with trailing spaces:
//	                    "__metadata__": {"key": "value", ...}        (optional, strings only)
//	                    "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}
//	bytes 8+N..       the data buffer: every tensor's elements, row-major,
//	                  little-endian, at [begin, end) relative to the buffer
//
// Reading validates everything (see Decode): the header length against the
// file size, well-formed JSON with unique names and no unknown fields, known
// dtypes, offsets inside the buffer, tensors that tile the buffer exactly
// (contiguous, non-overlapping, no trailing bytes) and byte lengths equal to
// product(shape)·dtype size. Writing is deterministic: metadata keys sorted,
// tensors laid out by dtype (widest first) then by name, as the reference
// Rust implementation does, the header padded with spaces so the data starts
// at a multiple of 8; the data is streamed, not assembled in memory.
//
// # Glossary
//
//	Tensor.Shape   PyTorch's order, e.g. u: (B, D, L) or a linear weight (out, in)
//	F32, F64       IEEE binary32 / binary64, stored in Tensor.F32 / Tensor.F64
//	F16, BF16      IEEE binary16 / bfloat16, converted to and from Tensor.F32
//	data_offsets   [begin, end) of a tensor in the data buffer, in bytes
//	__metadata__   string → string map (e.g. "delta_softplus": "true" for tokendyn scan)
//
// The checkpoints of the training code use PyTorch state-dict names (for
// example "backbone.layers.0.mixer.A_log"), so a file written here loads with
// `safetensors.torch.load_file` and `model.load_state_dict`.
package safetensors
