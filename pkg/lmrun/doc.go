// Package lmrun describes one training run of the small Mamba language
// models: what to run and what it produced, as data. pkg/train executes a
// run; the LM experiment (pkg/experiment/lm) and the figures read these
// types without linking the trainer.
//
//	Config, Preset  config.go   the JSON run configuration (model shape: model.LMConfig; corpus; optimizer
//	                            settings) and its presets paper, scaled, tiny; strict decoding
//	Options         options.go  the optimization settings (the authors' defaults, docs/paper.md §6.1)
//	EstimateBytes   size.go     a lower bound of a run's memory, checked before it starts
//	LoadCorpus      corpus.go   the byte-level GCIDE or WikiText-103 corpus (data/text.Corpus) with its digest
//	Eval, Point,    record.go   an evaluation pass (NLL, perplexity, bits per byte), the validation
//	Result                      history, and the record of one trained model (μ's spectra, skip D)
//
// The paper's symbols are in the repository's glossary (package mamba,
// doc.go);
// μ = S_Cᵀ S_B of each trained layer is in Result.Spectra.
package lmrun
