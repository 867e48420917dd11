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
package experiment
