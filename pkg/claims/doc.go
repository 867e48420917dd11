// Package claims is the ledger of the paper's claims: each claim of
// "Demystifying the Token Dynamics of Deep Selective State Space Models"
// (Vo, Pham, Tong, Nguyen; ICLR 2025) that this repository can speak to,
// and each finding of the repository itself, numbered, with its statement
// in our words, where it comes from, the check that tests it, the evidence
// and a verdict computed by code.
//
// The verdict words are Holds, NotSupported, Contradicted, Inconclusive
// and NotTestable. Two kinds of checks produce them:
//
//   - cheap checks run when the ledger is built (Build): the Table 1 sweep
//     of the three one-dimensional theorems at a reduced size
//     (theory.Sweep), the Figure 6 and higher-dimensional agreement
//     (theory.Agreement), the Euler order of the depth limit
//     (theory.System.EulerError), the inertia that refinement 1's
//     parametrization guarantees (model.ParametrizeXProj, model.MuSpectrum)
//     and the neg/pos symmetry (model.LM.MirrorSkip);
//   - the expensive ones read the experiments' committed results
//     (docs/results/lm.json, docs/results/reorder.json, through
//     lm.ReadCommitted and reorder.ReadCommitted) and apply their
//     pre-registered rule (docs/prereg/*.md); `make test` retrains one run
//     of each and compares it bit for bit (tokendyn experiment --check), so
//     the numbers read are the code's.
//
// Claims the CPU cannot test at the paper's scale (ImageNet-1K,
// WikiText-103 at 130M parameters) are listed with NotTestable and why.
//
// The ledger is data (Ledger, written as JSON) and its renderings
// (Markdown, HTML, one line a claim, the README's summary table).
// `tokendyn claims` builds it and writes figures/claims.{json,md,html}.
//
// Glossary: μ = S_Cᵀ S_B, S_Δ, Δ, A and the token dynamics are defined in
// pkg/mamba's glossary (doc.go) and docs/paper.md.
package claims
