// Package experiment holds what the paper's two scaled-down experiments
// share: paired comparisons across seeds (Paired: the per-seed differences
// of two arms trained from identical initial draws and data order, with a
// 95 % Student-t confidence interval and an exact two-sided sign test) and
// the verdict rule (Decide), which turns a paired comparison and the
// direction the paper claims into "supported", "not supported" or
// "inconclusive". The experiments themselves live in the subpackages lm
// (refinement 1, docs/paper.md §6.1) and reorder (refinement 2, docs/paper.md §6.2),
// which share one shape: Spec, Default, Quick, Run, Load/Store, Summary,
// Verdict.
//
// The pre-registered verdict rule is built from these terms:
//   - pre-registration (Prereg, ParsePrereg): the hypotheses, seeds, arms,
//     budget, α, equivalence margin and correction of one experiment, in a
//     Markdown file committed before the run it governs;
//   - endpoint: one paired difference of two arms that a hypothesis makes a
//     claim on; the primary family holds exactly one, the secondary
//     endpoints form the other;
//   - paired t-test (PairedT): Student t on the per-seed differences;
//   - TOST (PairedTOST): two one-sided tests, equivalence of the mean
//     difference to 0 within ±m;
//   - Holm: step-down adjustment of a family's p-values, controlling the
//     family-wise error rate at α;
//   - power (PowerT, PowerTOST, MinPairs, MinDetectable): the probability
//     that a test rejects for a given true effect, SD and number of pairs;
//   - (Prereg).Decide: PreregRule, with the outcomes Supported, Contradicted,
//     EquivalentVerdict's "not supported (equivalent within ±m)" and
//     Inconclusive.
package experiment
