// Package checkpoint is the one reader and writer of checkpoints: it opens
// Mamba-1 language-model checkpoints in the three layouts researchers have on
// disk, reads them tensor by tensor, and reports the token dynamics the
// paper's criteria predict for every layer; it writes and reads back the
// training checkpoints of `tokendyn train` (SaveTraining, LoadTraining:
// weights, AdamW moments and the trainer's state, published atomically by a
// pointer, training.go) and exports models to the upstream layouts (Export).
//
// # Layouts
//
//	tokendyn      written by `tokendyn train`: model.safetensors with the
//	              run configuration in its metadata ("tokendyn.config"), no
//	              config.json; tensors backbone.embedding.weight,
//	              backbone.layers.{i}.{norm.weight, mixer.*}, backbone.norm_f.weight,
//	              x_proj as x_proj.parametrizations.weight.original under a
//	              parametrization of refinement 1
//	mamba_ssm     state-spaces/mamba-*: config.json with d_model, n_layer,
//	              vocab_size, ssm_cfg (d_state, d_conv, expand, dt_rank),
//	              pad_vocab_size_multiple; the same tensor names as tokendyn
//	transformers  MambaForCausalLM (the "-hf" conversions): config.json with
//	              hidden_size, num_hidden_layers, state_size, expand,
//	              conv_kernel, time_step_rank, vocab_size; tensors
//	              backbone.embeddings.weight (plural), the rest as above;
//	              possibly sharded (model.safetensors.index.json)
//
// Every tensor's shape is checked against the configuration when the
// checkpoint is opened (headers only); values are read when asked for, one
// tensor at a time, so the memory a layer report needs is bounded by the
// largest tensor, not by the checkpoint. F32, F16 and BF16 are read (F16 and
// BF16 exactly, through package safetensors); pytorch_model.bin is not (the
// error gives the one-line conversion).
//
// # Glossary
//
// The paper's symbols (S_Δ, S_B, S_C, μ = S_Cᵀ S_B, Δ, D) and the functions
// that compute them are in package mamba's glossary. How a report reads
// them from a checkpoint: S_Δ, S_B, S_C are the rows of x_proj.weight
// ((R+2N) × d_inner: R = dt_rank rows, then N, then N); μ's eigenvalues and
// those of sym(μ) = (μ + μᵀ)/2 (whose sign is a token's self-interaction
// xᵀ μ x) come from theory.MuEigenvalues; the reported Δ range is the
// bias-only part softplus(dt_proj.bias); D is mixer.D.
package checkpoint
