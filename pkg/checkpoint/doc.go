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
// # Glossary (docs/paper.md §1)
//
//	S_Δ, S_B, S_C   the rows of x_proj.weight ((R+2N) × d_inner): R = dt_rank rows, then N, then N
//	μ               S_Cᵀ S_B (d_inner × d_inner, rank ≤ N); its nonzero eigenvalues are those of S_B S_Cᵀ (N × N)
//	sym(μ)          (μ + μᵀ)/2: xᵀ μ x = xᵀ sym(μ) x, the sign of a token's self-interaction
//	Δ               softplus(dt_proj.weight δ̃ + dt_proj.bias); its bias-only part softplus(dt_proj.bias) is reported
//	D               the skip: y_c = (S6 path)_c + D_c u_c
package checkpoint
