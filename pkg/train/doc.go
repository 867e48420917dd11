// Package train is the LM trainer: it executes one training run of the
// small Mamba language models on CPUs, in pure Go (Run), as described by a
// pkg/lmrun configuration, and returns its pkg/lmrun record. The experiments
// that compare many runs are pkg/experiment/lm (refinement 1,
// docs/paper.md §5.1 and §6.1) and pkg/experiment/reorder (refinement 2);
// their runner is pkg/experiment/runner.
//
// The pieces follow the authors' training setup (docs/paper.md §6.1: AdamW
// with betas (0.9, 0.999) and eps 1e-8, decoupled weight decay on every
// parameter, a timm cosine schedule with a linear warm-up over 1 % of the
// steps down to lr_min = 0.1·lr, global-norm gradient clipping at 1.0,
// gradient accumulation to reach the global batch, perplexity as the
// metric). The optimizer, the schedule, clipping and the training loop are
// pkg/optim's, shared with the reordering experiment:
//
//	Schedule       schedule.go   the cosine schedule (optim.Cosine) of a run's options
//	Windows        windows.go    fixed-length training sequences in a seeded order (optim.Order)
//	Trainer        trainer.go    optim.Loop for an LM: token windows, perplexity evaluations,
//	                             checkpoints and resume (the format is pkg/checkpoint's SaveTraining/LoadTraining)
//	Evaluate       eval.go       mean NLL per token, perplexity exp(NLL), bits per byte NLL/ln 2 (lmrun.Eval)
//	NewLM          lm.go         the float32 Mamba LM of a configuration, weights drawn from a seed
//	Run            run.go        one configured run: train, final evaluation, μ's spectra, skip D (lmrun.Result)
//	BenchTrain     bench.go      training throughput, per wall and per CPU second
//
// Glossary: the paper's symbols (μ = S_Cᵀ S_B, S_B, S_C, N, D, …) and the
// functions that compute them are in package mamba's glossary; the arms
// ("neg", "pos", "mixed", "none") are model.ParametrizeXProj's. The metrics:
//
//	NLL, perplexity  mean negative log-likelihood per predicted token (nats), exp(NLL)
//	bits per byte    NLL/ln 2 for the byte-level corpora
//
// Determinism: the data order, the dropout masks and the schedule are pure
// functions of (seed, step), and the optimizer state is saved exactly, so a
// run resumed from a checkpoint ends with the same weights, bit for bit, as
// an uninterrupted run.
package train
