// Package text loads the text corpora of the language-modelling experiment
// at the byte (character) level: Corpus, the one corpus type (the trainer,
// pkg/train, cuts its token ids into training windows).
//
// The paper's language-modelling experiment (docs/paper.md §6.1) trains a
// 130M-parameter Mamba on WikiText-103 with the GPT-2 tokenizer and compares
// the perplexity of three parametrizations of S_Cᵀ S_B (negative, mixed and
// positive eigenvalues). The Go experiment is a scaled-down proxy: a tiny
// Mamba trained on a few megabytes of real English, one token per byte, so
// that only the qualitative ordering of the three perplexities is compared.
//
// Two corpora are provided:
//
//   - GCIDE (LoadGCIDE), the GNU Collaborative International Dictionary of
//     English from the Debian package dict-gcide: ~126 000 dictionary
//     entries, the definitions and quotations kept as English prose, the
//     markup stripped (see CleanGCIDEEntry), printable ASCII plus newline
//     (vocabulary of 96 symbols), split by a hash of the headword.
//   - WikiText-103 (LoadWikiText103) for users who have its files: the
//     paper's own data set, read as raw bytes (vocabulary of 256).
//
// # Glossary
//
//	token        one byte of text; its id is Vocab.ID(byte) (gcide: 96 ids, WikiText: 256)
//	L            sequence length: a training window holds L+1 tokens, the
//	             model reads tokens 0..L−1 and predicts tokens 1..L (x_1..x_L in the paper)
//	split        Train / Valid / Test, disjoint by construction (no entry or
//	             article is in two splits)
//	bits/byte    the metric reported for byte-level models, loss/ln 2; the
//	             paper's perplexity is exp(loss) per GPT-2 token, not comparable
//
// data/README.md gives the sources, licences and sizes.
package text
